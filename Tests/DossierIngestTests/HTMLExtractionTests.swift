import DossierTestSupport
import Testing

@testable import DossierIngest

func html(_ s: String, keep: Bool = false, path: String? = "dir/page.html") throws -> Document {
  try HTMLExtractor.extract(Array(s.utf8), id: "page.html", path: path, keepBoilerplate: keep)
}

@Suite("HTML extraction")
struct HTMLExtractionTests {
  @Test func titleMetadataHeadingsAndBlocks() throws {
    let doc = try html(
      """
      <!DOCTYPE html><html lang="ES"><head><title> Cámaras  &amp; datos </title>
      <meta name="author" content="Ana"><meta name="description" content="Resumen">
      <meta name="keywords" content="cámaras, datos"><meta property="article:published_time" content="2021-03-14T09:00:00Z">
      <link rel="canonical" href="https://x.example/a"><style>p{}</style></head>
      <body><h1>Título</h1><p>Uno&nbsp;y <b>dos</b><br>tres.</p><ul><li>a</li><li>b</li></ul>
      <table><tr><td>2019</td><td>Hikvision</td></tr></table><pre>code   here</pre>
      <div>loose text<p>inner</p></div><script>var x = "no";</script></body></html>
      """)
    #expect(doc.title == "Cámaras & datos")
    #expect(
      doc.metadata == [
        "author": "Ana", "description": "Resumen", "keywords": "cámaras, datos", "date": "2021-03-14",
        "lang": "es", "url": "https://x.example/a",
      ])
    #expect(doc.headings == [Heading(level: 1, text: "Título")])
    #expect(
      doc.blocks == ["Uno y dos tres.", "a", "b", "2019", "Hikvision", "code here", "loose text", "inner"])
    #expect(doc.encoding == "utf-8")
  }

  @Test(arguments: [
    ("<title>T</title><meta property='og:title' content='O'><h1>H</h1>", "T"),
    ("<meta property='og:title' content='O'><h1>H</h1>", "O"),
    ("<p>x</p><h2>Not h1</h2><h1>H <i>one</i></h1>", "H one"),
    ("<p>nothing</p>", "page.html"),
  ])
  func titleFallbacks(source: String, expected: String) throws {
    #expect(try html(source).title == expected)
  }

  @Test(arguments: [
    ("<meta name='citation_publication_date' content='2019/06/02'>", "2019-06-02"),
    ("<meta name='DC.date' content='2020-11-05'>", "2020-11-05"),
    ("<p>On <time datetime='2022-01-20'>20 Jan</time></p>", "2022-01-20"),
  ])
  func publicationDates(source: String, expected: String) throws {
    #expect(try html(source).metadata["date"] == expected)
  }

  @Test func furnitureIsLeftOutUnlessAsked() throws {
    let page = """
      <body><div class="cookie-banner">Accept all cookies</div><div id="GDPR-ConsentBox">Your choices</div>
      <div class="cookbook">Recipes kept</div><header>Site name<nav>Menu</nav></header>
      <div role="navigation">Jump</div><aside>Related reading</aside><form>Subscribe</form>
      <main><article><header><p>Report header kept</p></header><p>Body text.</p>
      <p hidden>Hidden</p><span aria-hidden="true">Icon</span></article></main>
      <div role="contentinfo">All rights reserved</div><footer>Footer</footer></body>
      """
    #expect(try html(page).blocks == ["Recipes kept", "Report header kept", "Body text."])
    let kept = try html(page, keep: true).blocks.joined(separator: " ")
    for phrase in [
      "Accept all cookies", "Your choices", "Menu", "Related reading", "Subscribe", "Hidden",
      "All rights reserved",
      "Footer",
    ] {
      #expect(kept.contains(phrase))
    }
  }

  @Test func brokenMarkupStillYieldsText() throws {
    let doc = try html("<p>one<p>two<div><b><i>three</b></i></div></div><table><tr><td>four<li>five<div cla")
    #expect(
      doc.blocks.joined(separator: " ").contains("one two three four five")
        || doc.blocks == ["one", "two", "three", "four", "five"])
  }

  @Test func deepNestingAndHugeTextNodes() throws {
    let deep =
      String(repeating: "<div>", count: 10_000) + "deep text" + String(repeating: "</div>", count: 10_000)
    #expect(try html(deep).blocks == ["deep text"])
    let big = String(repeating: "word ", count: 2_600_000)  // 13 MB in one text node
    let doc = try html("<p>" + big + "end</p>")
    #expect(doc.blocks.count == 1)
    #expect(doc.blocks[0].hasSuffix("word end"))
    #expect(doc.blocks[0].utf8.count == big.utf8.count + 3)
  }

  @Test func nulBytesDoNotTruncate() throws {
    var bytes = Array("<p>before</p>".utf8)
    bytes += [0, 0, 0]
    bytes += Array("<p>after</p>".utf8)
    let doc = try HTMLExtractor.extract(bytes, id: "n", path: nil, keepBoilerplate: false)
    #expect(doc.blocks == ["before", "after"])
    #expect(doc.warnings.contains("NUL bytes replaced by spaces"))
  }

  @Test func windows1252MetaPageComesOutRight() throws {
    var bytes = Array("<html><head><meta charset=\"windows-1252\"><title>Caf".utf8)
    bytes += [0xE9, 0x20, 0x93, 0x78, 0x94, 0x20, 0x96, 0x20, 0x80]
    bytes += Array("</title></head><body><p>x</p></body></html>".utf8)
    let doc = try HTMLExtractor.extract(bytes, id: "w", path: nil, keepBoilerplate: false)
    #expect(doc.title == "Café “x” – €")
    #expect(doc.encoding == "windows-1252")
  }

  @Test func utf8BOMWinsOverAWindows1252Meta() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<meta charset=windows-1252><title>é “q”</title>".utf8)
    let doc = try HTMLExtractor.extract(bytes, id: "b", path: nil, keepBoilerplate: false)
    #expect(doc.title == "é “q”")
    #expect(doc.encoding == "utf-8")
  }

  @Test func utf16LEWithBOM() throws {
    var bytes: [UInt8] = [0xFF, 0xFE]
    for unit in "<title>Камера</title><p>текст</p>".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    let doc = try HTMLExtractor.extract(bytes, id: "u", path: nil, keepBoilerplate: false)
    #expect(doc.title == "Камера")
    #expect(doc.blocks == ["текст"])
    #expect(doc.encoding == "utf-16le")
  }

  @Test func charsetPrescan() {
    #expect(HTMLCharset.sniff(Array("<meta charset='ISO-8859-1'>".utf8)) == "ISO-8859-1")
    #expect(
      HTMLCharset.sniff(
        Array("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">".utf8)) == "koi8-r")
    #expect(HTMLCharset.sniff(Array("<p>none</p>".utf8)) == nil)
    let late = String(repeating: " ", count: 40_000) + "<meta charset=koi8-r>"
    #expect(HTMLCharset.sniff(Array(late.utf8)) == nil)
  }

  @Test func emptyPageIsNotAnError() throws {
    let doc = try html("")
    #expect(doc.blocks.isEmpty)
    #expect(doc.title == "page.html")
  }
}

@Suite("Extractors never crash on random bytes")
struct ExtractorFuzzTests {

  static let seed = Array(
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>T &amp; x</title></head><body><nav>n</nav><h1>H</h1><p>a<b>b</p><ul><li>c</ul><table><td>d</table><pre>e</pre><script>f</script></body></html>"
      .utf8)

  func check(_ doc: Document) {
    for s in [doc.title] + doc.blocks + doc.headings.map(\.text) {
      #expect(!s.contains("\u{0}"))
      #expect(!s.hasPrefix(" ") && !s.hasSuffix(" ") && !s.contains("  "))
    }
    for b in doc.blocks { #expect(!b.isEmpty) }
  }

  @Test func randomAndMutatedInput() {
    var rng = SeededRandom(seed: 20_261_128)
    for i in 0..<1500 {
      var bytes: [UInt8]
      if i % 3 == 0 {
        bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
      } else {
        bytes = Self.seed
        for _ in 0..<Int.random(in: 1..<12, using: &rng) {
          let at = Int.random(in: 0..<bytes.count, using: &rng)
          switch Int.random(in: 0..<3, using: &rng) {
          case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
          case 1: bytes.insert(contentsOf: Self.seed[(at % Self.seed.count)...].prefix(20), at: at)
          default: if bytes.count > 1 { bytes.remove(at: at) }
          }
        }
      }
      if let doc = try? HTMLExtractor.extract(bytes, id: "f", path: nil, keepBoilerplate: i % 2 == 0) {
        check(doc)
      }
      let text = TextExtractor.extract(TextDecoder.decode(bytes), id: "f", path: nil, markdown: i % 2 == 0)
      check(text)
    }
  }
}
