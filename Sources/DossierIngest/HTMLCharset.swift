/// Finds the character encoding an HTML page declares in a `<meta>` element, by scanning bytes.
///
/// This is the WHATWG "prescan a byte stream to determine its encoding" algorithm, run over the
/// first 32 KB instead of the standard's 1,024 bytes (saved pages often carry long scripts and
/// styles before their `<meta>`): comments, end tags, `<!...>` and `<?...>` are skipped, the
/// attributes of other tags are skipped as attributes (so a `>` or a `<meta` inside a quoted
/// value fools nothing), and a `<meta>` counts when it has `charset=LABEL`, or
/// `http-equiv="Content-Type"` together with `content="...; charset=LABEL"`. A declaration that
/// starts before the 32 KB limit but ends after it is ignored.
///
/// The label is returned as written (trimmed of spaces and quotes); map it with
/// `TextDecoder.canonicalName(forLabel:)` or pass it to `TextDecoder.decode(_:declared:)`. The
/// first declaration with a label known to `TextDecoder` wins; when every declaration found has
/// an unknown label, the first of them is returned so that the caller can report it.
///
/// ```swift
/// HTMLCharset.sniff(Array("<meta charset='ISO-8859-1'>".utf8))   // "ISO-8859-1"
/// HTMLCharset.sniff(Array("<p>no declaration</p>".utf8))          // nil
/// ```
///
/// Cost: one forward pass over at most 32 KB with no allocation until a declaration is found.
package enum HTMLCharset {
  /// How far into the document the scan looks, in bytes.
  package static let scanLimit = 32 * 1024

  /// The encoding label declared by the first usable `<meta>` in the first 32 KB, or nil.
  package static func sniff(_ bytes: [UInt8]) -> String? {
    bytes.withUnsafeBufferPointer { all in
      let buf = UnsafeBufferPointer(rebasing: all[..<min(all.count, scanLimit)])
      var scan = Prescan(buf)
      return scan.run()
    }
  }
}

/// The prescan state: a cursor over the bytes being scanned.
private struct Prescan {
  let b: UnsafeBufferPointer<UInt8>
  var pos = 0

  init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

  var end: Int { b.count }

  mutating func run() -> String? {
    var firstUnknown: String?
    while pos < end {
      guard b[pos] == ascii("<") else {
        pos += 1
        continue
      }
      if matches("<!--") {
        // Skip to the first "-->" (its dashes may be those of "<!--": "<!-->" is closed).
        guard let close = find("-->", from: pos + 2) else { return firstUnknown }
        pos = close + 3
      } else if matchesCaseless("<meta"), pos + 5 < end, isSpaceOrSlash(b[pos + 5]) {
        pos += 6
        if let label = metaLabel() {
          if TextDecoder.canonicalName(forLabel: label) != nil { return label }
          if firstUnknown == nil { firstUnknown = label }
        }
      } else if pos + 1 < end, isASCIILetter(b[pos + 1]) {
        skipTag(from: pos + 1)
      } else if pos + 2 < end, b[pos + 1] == ascii("/"), isASCIILetter(b[pos + 2]) {
        skipTag(from: pos + 2)
      } else if pos + 1 < end,
        b[pos + 1] == ascii("!") || b[pos + 1] == ascii("/") || b[pos + 1] == ascii("?")
      {
        guard let close = find(">", from: pos + 2) else { return firstUnknown }
        pos = close + 1
      } else {
        pos += 1
      }
    }
    return firstUnknown
  }

  /// Reads the attributes of a `<meta>` (the cursor is just past "<meta ") and returns its
  /// label when the element is a declaration.
  mutating func metaLabel() -> String? {
    var seen = Set<String>()
    var gotPragma = false
    var needPragma: Bool?
    var charset: String?
    while let (name, value) = attribute() {
      guard seen.insert(name).inserted else { continue }
      switch name {
      case "http-equiv":
        if value.lowercased() == "content-type" { gotPragma = true }
      case "content":
        if charset == nil, let label = Prescan.charsetFromContent(Array(value.utf8)) {
          charset = label
          needPragma = true
        }
      case "charset":
        charset = value
        needPragma = false
      default:
        break
      }
    }
    guard let need = needPragma, let charset else { return nil }
    if need && !gotPragma { return nil }
    let label = charset.trimmingASCIIWhitespace()
    return label.isEmpty ? nil : label
  }

  /// Skips a start or end tag whose name begins at `from`, attribute by attribute.
  mutating func skipTag(from: Int) {
    pos = from
    while pos < end, !isSpace(b[pos]), b[pos] != ascii(">") { pos += 1 }
    while attribute() != nil {}
  }

  /// The WHATWG "get an attribute": returns the next (lowercased name, value), or nil at the
  /// end of the tag (the cursor is then past the ">") or of the scanned bytes.
  mutating func attribute() -> (String, String)? {
    while pos < end, isSpaceOrSlash(b[pos]) { pos += 1 }
    guard pos < end else { return nil }
    if b[pos] == ascii(">") {
      pos += 1
      return nil
    }
    var name: [UInt8] = []
    var value: [UInt8] = []
    // The name: the first byte may be "=", then up to "=", space, "/" or ">".
    name.append(lower(b[pos]))
    pos += 1
    while pos < end {
      let c = b[pos]
      if c == ascii("=") && !name.isEmpty { break }
      if isSpace(c) || c == ascii("/") || c == ascii(">") { break }
      name.append(lower(c))
      pos += 1
    }
    while pos < end, isSpace(b[pos]) { pos += 1 }
    guard pos < end else { return nil }
    guard b[pos] == ascii("=") else {
      return (String(decoding: name, as: UTF8.self), "")
    }
    pos += 1
    while pos < end, isSpace(b[pos]) { pos += 1 }
    guard pos < end else { return nil }
    let quote = b[pos]
    if quote == ascii("\"") || quote == ascii("'") {
      pos += 1
      while pos < end, b[pos] != quote {
        value.append(b[pos])
        pos += 1
      }
      guard pos < end else { return nil }
      pos += 1
    } else {
      while pos < end, !isSpace(b[pos]), b[pos] != ascii(">") {
        value.append(b[pos])
        pos += 1
      }
      guard pos < end else { return nil }
    }
    return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
  }

  /// The WHATWG "extract a character encoding from a meta element": the label after
  /// `charset=` in a `content` value such as `text/html; charset=iso-8859-1`.
  static func charsetFromContent(_ c: [UInt8]) -> String? {
    var i = 0
    let target = Array("charset".utf8)
    while i + target.count <= c.count {
      var hit = true
      for k in 0..<target.count where lower(c[i + k]) != target[k] {
        hit = false
        break
      }
      guard hit else {
        i += 1
        continue
      }
      var j = i + target.count
      while j < c.count, isSpace(c[j]) { j += 1 }
      guard j < c.count, c[j] == ascii("=") else {
        i = j
        continue
      }
      j += 1
      while j < c.count, isSpace(c[j]) { j += 1 }
      guard j < c.count else { return nil }
      if c[j] == ascii("\"") || c[j] == ascii("'") {
        let q = c[j]
        guard let close = c[(j + 1)...].firstIndex(of: q) else { return nil }
        return String(decoding: c[(j + 1)..<close], as: UTF8.self)
      }
      var k = j
      while k < c.count, !isSpace(c[k]), c[k] != ascii(";") { k += 1 }
      return String(decoding: c[j..<k], as: UTF8.self)
    }
    return nil
  }

  func matches(_ s: StaticString) -> Bool {
    let n = s.utf8CodeUnitCount
    guard pos + n <= end else { return false }
    let p = s.utf8Start
    for k in 0..<n where b[pos + k] != p[k] { return false }
    return true
  }

  func matchesCaseless(_ s: StaticString) -> Bool {
    let n = s.utf8CodeUnitCount
    guard pos + n <= end else { return false }
    let p = s.utf8Start
    for k in 0..<n where lower(b[pos + k]) != p[k] { return false }
    return true
  }

  func find(_ s: StaticString, from: Int) -> Int? {
    let n = s.utf8CodeUnitCount
    let p = s.utf8Start
    var i = from
    while i + n <= end {
      if b[i] == p[0] {
        var k = 1
        while k < n, b[i + k] == p[k] { k += 1 }
        if k == n { return i }
      }
      i += 1
    }
    return nil
  }
}

@inline(__always) private func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(c.value) }
@inline(__always) private func isSpace(_ c: UInt8) -> Bool {
  c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D
}
@inline(__always) private func isSpaceOrSlash(_ c: UInt8) -> Bool { isSpace(c) || c == 0x2F }
@inline(__always) private func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
@inline(__always) private func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
