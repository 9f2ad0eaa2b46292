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
      if let declared, declaredName == nil { warnings.append("unknown encoding label \"\(declared)\"; guessed instead") }
    } else {
      let decoded = TextDecoder.decode(bytes, declared: declared)
      utf8 = Array(decoded.text.utf8)
      encoding = decoded.encoding
      warnings += decoded.warnings
    }
    if utf8.count >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF { utf8.removeFirst(3) }
    // A NUL byte makes libxml2 drop the rest of the document: replace NULs with spaces.
    let hasNUL = utf8.withUnsafeBytes { raw in raw.count > 0 && memchr(raw.baseAddress!, 0, raw.count) != nil }
    if hasNUL {
      for i in utf8.indices where utf8[i] == 0 { utf8[i] = 0x20 }
      warnings.append("NUL bytes replaced by spaces")
    }
    if encoding != "utf-8" {
      // libxml2 would obey the page's own <meta charset> again; the bytes are UTF-8 now.
      neutralizeCharsetDeclarations(&utf8)
    }
    let options = Int32(
      HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NOBLANKS.rawValue | HTML_PARSE_COMPACT.rawValue)
      | Int32(XML_PARSE_HUGE.rawValue)
    if utf8.isEmpty { utf8 = [0x20] }
    let doc: htmlDocPtr? = utf8.withUnsafeBufferPointer { buf in
      buf.withMemoryRebound(to: CChar.self) { chars in
        htmlReadMemory(chars.baseAddress!, Int32(clamping: chars.count), nil, "UTF-8", options)
      }
    }
    let fileName = (path ?? id).split(separator: "/").last.map(String.init) ?? id
    guard let doc else {
      if utf8.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
        return Document(
          id: id, type: .html, path: path, encoding: encoding, title: fileName,
          warnings: warnings + ["empty page"])
      }
      throw .unparsable("libxml2 could not parse the page")
    }
    defer { xmlFreeDoc(doc) }
    var walker = TreeWalker(keepBoilerplate: keepBoilerplate)
    if let root = xmlDocGetRootElement(doc) { walker.walk(root) }
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

/// The iterative walk over libxml2's tree that collects title, metadata, headings and blocks.
private struct TreeWalker {
  let keepBoilerplate: Bool
  var title: String?
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

  init(keepBoilerplate: Bool) { self.keepBoilerplate = keepBoilerplate }

  enum Kind {
    case skip, block, heading(Int), br, inline, meta, link, title, html, time, article
  }

  static let kinds: [String: Kind] = {
    var k: [String: Kind] = [:]
    for n in ["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas", "head", "select", "button"] {
      k[n] = .skip
    }
    for n in [
      "p", "li", "td", "th", "pre", "blockquote", "dd", "dt", "figcaption", "caption", "div", "section",
      "body", "address", "ul", "ol", "dl", "table", "tr", "thead", "tbody", "tfoot", "figure", "hr",
      "details", "summary", "center", "fieldset", "legend", "nav", "aside", "footer", "header", "form", "dialog",
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
    return k
  }()

  static let furniture: Set<String> = ["nav", "aside", "form", "footer", "dialog"]
  static let furnitureRoles: Set<String> = ["navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"]

  mutating func walk(_ root: xmlNodePtr) {
    var node: xmlNodePtr? = root
    while let current = node {
      var descend = false
      switch current.pointee.type {
      case XML_ELEMENT_NODE:
        descend = enter(current)
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        if let content = current.pointee.content {
          let n = strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))
          text.append(contentsOf: UnsafeBufferPointer(start: content, count: n))
        }
      default:
        break
      }
      if descend, let child = current.pointee.children {
        node = child
        continue
      }
      if descend { leave(current) }
      // Next sibling, or climb, leaving each finished element.
      var n: xmlNodePtr? = current
      node = nil
      while let m = n {
        if m == root { break }
        if let next = m.pointee.next {
          node = next
          break
        }
        n = m.pointee.parent
        if let parent = n, parent.pointee.type == XML_ELEMENT_NODE { leave(parent) }
        if n == root { break }
      }
    }
    flush()
  }

  static func name(_ node: xmlNodePtr) -> String {
    guard let p = node.pointee.name else { return "" }
    return String(cString: p)
  }

  /// Handles an element start; returns whether to walk its children.
  mutating func enter(_ node: xmlNodePtr) -> Bool {
    let name = Self.name(node)
    let kind = Self.kinds[name] ?? .inline
    switch kind {
    case .meta:
      meta(node)
      return false
    case .link:
      if attribute(node, "rel")?.lowercased().split(separator: " ").contains("canonical") == true,
        let href = attribute(node, "href"), metadata["url"] == nil
      {
        metadata["url"] = href.trimmingASCIIWhitespace()
      }
      return false
    case .title:
      if title == nil { title = Whitespace.normalize(content(node)) }
      return false
    case .skip:
      if name == "head" { collectHead(node) }
      return false
    case .html:
      if let lang = attribute(node, "lang") ?? attribute(node, "xml:lang"), !lang.isEmpty {
        metadata["lang"] = lang.trimmingASCIIWhitespace().lowercased()
      }
      return true
    default:
      break
    }
    if !keepBoilerplate && isFurniture(node, name: name) { return false }
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
      if firstTimeDate == nil, let dt = attribute(node, "datetime"), !dt.isEmpty { firstTimeDate = dt }
    default:
      break
    }
    return true
  }

  mutating func leave(_ node: xmlNodePtr) {
    let name = Self.name(node)
    switch Self.kinds[name] ?? .inline {
    case .block:
      flush()
    case .article:
      flush()
      articleDepth -= 1
    case .heading:
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

  func isFurniture(_ node: xmlNodePtr, name: String) -> Bool {
    if Self.furniture.contains(name) { return true }
    if name == "header" && articleDepth == 0 { return true }
    var attr = node.pointee.properties
    while let a = attr {
      let attrName = a.pointee.name.map { String(cString: $0) } ?? ""
      switch attrName {
      case "hidden":
        return true
      case "aria-hidden":
        if attributeValue(a).lowercased() == "true" { return true }
      case "role":
        if Self.furnitureRoles.contains(attributeValue(a).lowercased().trimmingASCIIWhitespace()) { return true }
      case "class", "id":
        let v = attributeValue(a).lowercased()
        if v.contains("cookie") || v.contains("consent") { return true }
      default:
        break
      }
      attr = a.pointee.next
    }
    return false
  }

  func attributeValue(_ a: xmlAttrPtr) -> String {
    guard let child = a.pointee.children, let content = child.pointee.content else { return "" }
    return String(cString: content)
  }

  func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
    var attr = node.pointee.properties
    while let a = attr {
      if let n = a.pointee.name, String(cString: n).lowercased() == name { return attributeValue(a) }
      attr = a.pointee.next
    }
    return nil
  }

  func content(_ node: xmlNodePtr) -> String {
    guard let c = xmlNodeGetContent(node) else { return "" }
    defer { dossier_xml_free(c) }
    return String(cString: c)
  }

  mutating func collectHead(_ head: xmlNodePtr) {
    var child = head.pointee.children
    while let c = child {
      if c.pointee.type == XML_ELEMENT_NODE {
        switch Self.name(c) {
        case "meta": meta(c)
        case "title": if title == nil { title = Whitespace.normalize(content(c)) }
        case "link": _ = enter(c)
        default: break
        }
      }
      child = c.pointee.next
    }
  }

  mutating func meta(_ node: xmlNodePtr) {
    let key = (attribute(node, "name") ?? attribute(node, "property") ?? attribute(node, "itemprop") ?? "")
      .lowercased().trimmingASCIIWhitespace()
    guard !key.isEmpty, let raw = attribute(node, "content") else { return }
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
