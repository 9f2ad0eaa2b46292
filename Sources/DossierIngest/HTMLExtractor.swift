import CLibXML2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Extracts a `Document` from an HTML page through libxml2's HTML parser.
///
/// The encoding is decided here, never by libxml2: BOM, then the `<meta>` declaration found by
/// `HTMLCharset`, then UTF-8 when valid, else Windows-1252 (see `TextDecoder`). libxml2 always
/// receives UTF-8 and is told so. It parses with recovery, without network access, with
/// `XML_PARSE_HUGE` (deep nesting and huge text nodes) and with its error output silenced.
///
/// What is kept:
/// - title: `<title>`, else `og:title`, else the first `<h1>`, else the file name;
/// - metadata: `author` (author, article:author, DC.creator), `description` (description,
///   og:description), `keywords`, `date` (article:published_time, citation_publication_date,
///   DC.date, DCTERMS.issued, else the first `<time datetime>`; normalized by
///   `DateNormalizer`), `lang` (`<html lang>`), `url` (canonical link, else og:url);
/// - headings `h1`–`h6` with their levels (not repeated in the blocks);
/// - body blocks: the text between block-level boundaries (paragraphs, list items, table
///   cells, `pre`, blockquotes, loose text in `div`/`section`/`article`), whitespace
///   normalized, entities decoded, `<br>` as a space.
///
/// What is dropped: `script`, `style`, `noscript`, `template`, `svg`, `math`, `iframe`,
/// `object`, `canvas`, the head apart from the metadata; and, unless `keepBoilerplate`, page
/// furniture: `nav`, `aside`, `form`, `footer`, `dialog`, `header` outside `article`/`main`
/// (inside them a header usually holds the report's own title and date), elements with role
/// navigation, banner, contentinfo, search or dialog, elements with `hidden` or
/// `aria-hidden="true"`, and elements whose class or id names a cookie or consent banner.
///
/// ```swift
/// let doc = try HTMLExtractor.extract(bytes, id: "a.html", path: "a.html", keepBoilerplate: false)
/// ```
///
/// Cost: one validation pass over the bytes (plus a conversion when they are not UTF-8), a DOM
/// parse, and one iterative walk of the tree with no allocation per element.
package enum HTMLExtractor {
  private static let initialized: Bool = {
    xmlInitParser()
    return true
  }()

  /// Initializes libxml2 once; call on the main thread before parsing threads start.
  package static func initialize() {
    _ = initialized
  }

  package static func extract(
    _ bytes: [UInt8], id: String, path: String?, keepBoilerplate: Bool
  ) throws(IngestError) -> Document {
    initialize()
    dossier_xml_silence_errors()
    var warnings: [String] = []
    var utf8: [UInt8]
    var encoding: String
    let bom = TextDecoder.byteOrderMark(bytes)
    let declared = bom == nil ? HTMLCharset.sniff(bytes) : nil
    let declaredName = declared.flatMap { TextDecoder.canonicalName(forLabel: $0) }
    if bom == nil, declaredName == nil || declaredName == "utf-8", TextDecoder.isValidUTF8(bytes) {
      utf8 = bytes
      encoding = "utf-8"
      if let declared, declaredName == nil {
        warnings.append("unknown encoding label \"\(declared)\"; guessed instead")
      }
    } else {
      let decoded = TextDecoder.decode(bytes, declared: declared)
      utf8 = Array(decoded.text.utf8)
      encoding = decoded.encoding
      warnings += decoded.warnings
    }
    if utf8.count >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF { utf8.removeFirst(3) }
    // A NUL byte makes libxml2 drop the rest of the document: replace NULs with spaces.
    let hasNUL = utf8.withUnsafeBytes { raw in raw.count > 0 && memchr(raw.baseAddress!, 0, raw.count) != nil
    }
    if hasNUL {
      for i in utf8.indices where utf8[i] == 0 { utf8[i] = 0x20 }
      warnings.append("NUL bytes replaced by spaces")
    }
    if bom != nil || (declared != nil && declaredName != "utf-8") || encoding != "utf-8" {
      // libxml2 would obey the page's own <meta charset> again; the bytes are UTF-8 now.
      neutralizeCharsetDeclarations(&utf8)
    }
    let options =
      Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
          | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue)
      | Int32(XML_PARSE_HUGE.rawValue)
    let fileName = (path ?? id).split(separator: "/").last.map(String.init) ?? id
    var walker = SAXWalker(keepBoilerplate: keepBoilerplate)
    let parsed = withUnsafeMutablePointer(to: &walker) { state -> Bool in
      var sax = htmlSAXHandler()
      sax.startElement = { ctx, name, attrs in
        ctx!.assumingMemoryBound(to: SAXWalker.self).pointee.start(name, attrs)
      }
      sax.endElement = { ctx, name in
        ctx!.assumingMemoryBound(to: SAXWalker.self).pointee.end(name)
      }
      sax.characters = { ctx, chars, len in
        ctx!.assumingMemoryBound(to: SAXWalker.self).pointee.characters(chars, Int(len))
      }
      sax.ignorableWhitespace = sax.characters
      sax.cdataBlock = sax.characters
      guard
        let ctxt = htmlCreatePushParserCtxt(
          &sax, UnsafeMutableRawPointer(state), nil, 0, nil, XML_CHAR_ENCODING_UTF8)
      else { return false }
      defer { htmlFreeParserCtxt(ctxt) }
      htmlCtxtUseOptions(ctxt, options)
      utf8.withUnsafeBufferPointer { buf in
        buf.withMemoryRebound(to: CChar.self) { chars in
          // Chunks keep the push parser's input buffer small.
          var offset = 0
          let chunk = 1 << 20
          while offset < chars.count {
            let n = min(chunk, chars.count - offset)
            _ = htmlParseChunk(ctxt, chars.baseAddress! + offset, Int32(n), 0)
            offset += n
          }
          _ = htmlParseChunk(ctxt, nil, 0, 1)
        }
      }
      return true
    }
    guard parsed else { throw .unparsable("libxml2 could not create a parser") }
    walker.flush()
    var metadata = walker.metadata
    if metadata["date"] == nil, let t = walker.firstTimeDate { metadata["date"] = t }
    if let raw = metadata["date"] {
      if let normalized = DateNormalizer.normalize(raw) {
        metadata["date"] = normalized
      } else {
        metadata["date"] = nil
        warnings.append("publication date \"\(raw)\" not understood; ignored")
      }
    }
    if metadata["url"] == nil, let og = walker.ogURL { metadata["url"] = og }
    let title =
      [walker.title, walker.ogTitle, walker.firstH1].compactMap { $0 }.first { !$0.isEmpty } ?? fileName
    return Document(
      id: id, type: .html, path: path, encoding: encoding, title: title, metadata: metadata,
      headings: walker.headings, blocks: walker.blocks, warnings: warnings)
  }

  /// Rewrites `charset` in `<meta>` declarations of the first 32 KB to `charsex`, so that
  /// libxml2 keeps reading the (already converted) UTF-8.
  static func neutralizeCharsetDeclarations(_ bytes: inout [UInt8]) {
    let limit = min(bytes.count, HTMLCharset.scanLimit + 1024)
    let pattern = Array("charset".utf8)
    var i = 0
    while i + pattern.count <= limit {
      var match = true
      for k in 0..<pattern.count where bytes[i + k] | 0x20 != pattern[k] {
        match = false
        break
      }
      if match {
        bytes[i + 6] = UInt8(ascii: "x")
        i += pattern.count
      } else {
        i += 1
      }
    }
  }
}

/// The state of one SAX parse: collects title, metadata, headings and blocks as libxml2
/// reports elements and text (it closes unclosed elements itself, so every start has an end).
struct SAXWalker {
  let keepBoilerplate: Bool
  var title: String?
  var titleBuffer: [UInt8] = []
  var inTitle = false
  var ogTitle: String?
  var ogURL: String?
  var firstH1: String?
  var firstTimeDate: String?
  var metadata: [String: String] = [:]
  var headings: [Heading] = []
  var blocks: [String] = []
  var text: [UInt8] = []
  var headingDepth = 0
  var headingLevel = 0
  var articleDepth = 0
  var headDepth = 0
  /// When above zero, everything is ignored until as many ends have been seen.
  var skipDepth = 0
  /// Element kinds by the pointer libxml2 interns the name at (its parser dictionary gives
  /// every occurrence of a name the same pointer), so most elements cost no String.
  /// Per element name (libxml2 interns names, so a pointer stands for a name): its kind, its
  /// lowercase name, and whether the name alone makes it furniture.
  var kindCache: [UnsafeRawPointer: (Kind, String, Bool)] = [:]

  init(keepBoilerplate: Bool) { self.keepBoilerplate = keepBoilerplate }

  enum Kind {
    case skip, block, heading(Int), br, inline, meta, link, title, html, time, article, head
  }

  typealias Attributes = UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

  static let kinds: [String: Kind] = {
    var k: [String: Kind] = [:]
    for n in [
      "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas", "select",
      "button",
    ] {
      k[n] = .skip
    }
    for n in [
      "p", "li", "td", "th", "pre", "blockquote", "dd", "dt", "figcaption", "caption", "div", "section",
      "body", "address", "ul", "ol", "dl", "table", "tr", "thead", "tbody", "tfoot", "figure", "hr",
      "details", "summary", "center", "fieldset", "legend", "nav", "aside", "footer", "header", "form",
      "dialog",
    ] {
      k[n] = .block
    }
    for level in 1...6 { k["h\(level)"] = .heading(level) }
    k["article"] = .article
    k["main"] = .article
    k["br"] = .br
    k["meta"] = .meta
    k["link"] = .link
    k["title"] = .title
    k["html"] = .html
    k["time"] = .time
    k["head"] = .head
    return k
  }()

  static let furniture: Set<String> = ["nav", "aside", "form", "footer", "dialog"]
  static let furnitureRoles: Set<String> = [
    "navigation", "banner", "contentinfo", "search", "dialog", "alertdialog",
  ]

  mutating func kind(_ p: UnsafePointer<xmlChar>?) -> (Kind, String, Bool) {
    guard let p else { return (.inline, "", false) }
    let key = UnsafeRawPointer(p)
    if let k = kindCache[key] { return k }
    let name = String(cString: p).lowercased()
    let k = (Self.kinds[name] ?? .inline, name, Self.furniture.contains(name))
    kindCache[key] = k
    return k
  }

  mutating func start(_ namePointer: UnsafePointer<xmlChar>?, _ attrs: Attributes) {
    if skipDepth > 0 {
      skipDepth += 1
      return
    }
    let (kind, name, furnitureName) = kind(namePointer)
    switch kind {
    case .meta:
      meta(attrs)
      return
    case .link:
      if attribute(attrs, "rel")?.lowercased().split(separator: " ").contains("canonical") == true,
        let href = attribute(attrs, "href"), metadata["url"] == nil
      {
        metadata["url"] = href.trimmingASCIIWhitespace()
      }
      return
    case .title:
      if title == nil {
        inTitle = true
        titleBuffer.removeAll(keepingCapacity: true)
      }
      return
    case .head:
      headDepth += 1
      return
    case .skip:
      skipDepth = 1
      return
    case .html:
      if let lang = attribute(attrs, "lang") ?? attribute(attrs, "xml:lang"), !lang.isEmpty {
        metadata["lang"] = lang.trimmingASCIIWhitespace().lowercased()
      }
      return
    default:
      break
    }
    if !keepBoilerplate && (furnitureName || isFurniture(attrs, name: name)) {
      skipDepth = 1
      return
    }
    switch kind {
    case .block:
      flush()
    case .article:
      flush()
      articleDepth += 1
    case .heading(let level):
      flush()
      headingDepth += 1
      if headingDepth == 1 { headingLevel = level }
    case .br:
      text.append(0x20)
    case .time:
      if firstTimeDate == nil, let dt = attribute(attrs, "datetime"), !dt.isEmpty { firstTimeDate = dt }
    default:
      break
    }
  }

  mutating func end(_ namePointer: UnsafePointer<xmlChar>?) {
    if skipDepth > 0 {
      skipDepth -= 1
      return
    }
    switch kind(namePointer).0 {
    case .title:
      if inTitle {
        inTitle = false
        title = titleBuffer.withUnsafeBufferPointer { Whitespace.normalize(bytes: $0) }
      }
    case .head:
      headDepth = max(0, headDepth - 1)
    case .block:
      flush()
    case .article:
      flush()
      articleDepth = max(0, articleDepth - 1)
    case .heading:
      guard headingDepth > 0 else { return }
      headingDepth -= 1
      if headingDepth == 0 {
        let t = normalizedText()
        text.removeAll(keepingCapacity: true)
        if !t.isEmpty {
          headings.append(Heading(level: headingLevel, text: t))
          if headingLevel == 1 && firstH1 == nil { firstH1 = t }
        }
      }
    default:
      break
    }
  }

  mutating func characters(_ chars: UnsafePointer<xmlChar>?, _ count: Int) {
    guard skipDepth == 0, let chars, count > 0 else { return }
    let buf = UnsafeBufferPointer(start: chars, count: count)
    if inTitle {
      titleBuffer.append(contentsOf: buf)
    } else if headDepth == 0 {
      text.append(contentsOf: buf)
    }
  }

  mutating func flush() {
    if headingDepth > 0 { return }
    guard !text.isEmpty else { return }
    let t = normalizedText()
    text.removeAll(keepingCapacity: true)
    if !t.isEmpty { blocks.append(t) }
  }

  func normalizedText() -> String {
    text.withUnsafeBufferPointer { Whitespace.normalize(bytes: $0) }
  }

  /// True when the C string `p` equals the ASCII `literal`.
  @inline(__always)
  static func equals(_ p: UnsafePointer<xmlChar>?, _ literal: StaticString) -> Bool {
    guard let p else { return false }
    return strcasecmp(
      UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self),
      UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
  }

  /// Whether an element is furniture by its attributes (or a `header` outside an article); the
  /// furniture names themselves are known from `kind`.
  func isFurniture(_ attrs: Attributes, name: String) -> Bool {
    if name == "header" && articleDepth == 0 { return true }
    guard let attrs else { return false }
    var i = 0
    while let n = attrs[i] {
      // Strings only for the attributes looked at; class and id (on nearly every element) are
      // searched as bytes.
      func value() -> String { attrs[i + 1].map { String(cString: $0) } ?? "" }
      if Self.equals(n, "hidden") { return true }
      if Self.equals(n, "aria-hidden") {
        if value().lowercased() == "true" { return true }
      } else if Self.equals(n, "role") {
        if Self.furnitureRoles.contains(value().lowercased().trimmingASCIIWhitespace()) { return true }
      } else if Self.equals(n, "class") || Self.equals(n, "id") {
        if Self.containsIgnoringASCIICase(attrs[i + 1], "cookie")
          || Self.containsIgnoringASCIICase(attrs[i + 1], "consent")
        {
          return true
        }
      }
      i += 2
    }
    return false
  }

  /// Whether the C string `text` contains `word` (lowercase ASCII), ignoring ASCII case.
  /// (Foundation's `String.contains(_:)` goes through NSString and cost a sixth of indexing.)
  static func containsIgnoringASCIICase(_ text: UnsafePointer<xmlChar>?, _ word: StaticString) -> Bool {
    guard let text else { return false }
    let w = word.utf8Start
    let n = word.utf8CodeUnitCount
    var i = 0
    while text[i] != 0 {
      var k = 0
      while k < n {
        let c = text[i + k]
        if c == 0 { return false }
        let lower = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
        if lower != w[k] { break }
        k += 1
      }
      if k == n { return true }
      i += 1
    }
    return false
  }

  func attribute(_ attrs: Attributes, _ name: String) -> String? {
    guard let attrs else { return nil }
    var i = 0
    while let n = attrs[i] {
      if String(cString: n).lowercased() == name { return attrs[i + 1].map { String(cString: $0) } ?? "" }
      i += 2
    }
    return nil
  }

  mutating func meta(_ attrs: Attributes) {
    let key = (attribute(attrs, "name") ?? attribute(attrs, "property") ?? attribute(attrs, "itemprop") ?? "")
      .lowercased().trimmingASCIIWhitespace()
    guard !key.isEmpty, let raw = attribute(attrs, "content") else { return }
    let value = Whitespace.normalize(raw)
    guard !value.isEmpty else { return }
    func setOnce(_ k: String) { if metadata[k] == nil { metadata[k] = value } }
    switch key {
    case "author", "article:author", "dc.creator", "dcterms.creator", "citation_author": setOnce("author")
    case "description", "og:description", "dc.description": setOnce("description")
    case "keywords", "news_keywords": setOnce("keywords")
    case "article:published_time", "citation_publication_date", "dc.date", "dcterms.issued", "dcterms.date",
      "citation_date", "date", "datepublished":
      setOnce("date")
    case "og:title": if ogTitle == nil { ogTitle = value }
    case "og:url": if ogURL == nil { ogURL = value }
    default: break
    }
  }
}
