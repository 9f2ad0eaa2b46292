/// Decides what kind of source a file is, by name and by content.
///
/// The extension proposes and the content decides: a `.txt` file holding a saved web page is
/// HTML; a file of any name with NUL bytes or mostly control bytes is binary.
///
/// ```swift
/// let kind = FileTypeSniffer.detect(name: "report.htm", prefix: bytes)  // .html
/// ```
///
/// Cost: looks at most at the first 8 KiB.
package enum FileTypeSniffer {
  package static let htmlExtensions: Set<String> = ["html", "htm", "xhtml", "shtml"]
  package static let textExtensions: Set<String> = ["txt", "text"]
  package static let markdownExtensions: Set<String> = ["md", "markdown", "mdown"]
  package static let jsonlExtensions: Set<String> = ["jsonl", "ndjson"]

  /// The type of a file named `name` whose content begins with `prefix`; throws `.binary` for
  /// binary content.
  package static func detect(name: String, prefix: ArraySlice<UInt8>) throws(IngestError) -> DocumentType {
    let ext = fileExtension(name)
    let utf16BOM =
      prefix.count >= 2
      && ((prefix.first == 0xFF && prefix[prefix.startIndex + 1] == 0xFE)
        || (prefix.first == 0xFE && prefix[prefix.startIndex + 1] == 0xFF))
    if !utf16BOM && isBinary(prefix) { throw .binary }
    if jsonlExtensions.contains(ext) { return .jsonl }
    if htmlExtensions.contains(ext) { return .html }
    if looksLikeHTML(prefix, utf16: utf16BOM) { return .html }
    if markdownExtensions.contains(ext) { return .markdown }
    return .text
  }

  /// The lowercased extension of a file name, without the dot ("" when none).
  package static func fileExtension(_ name: String) -> String {
    let base = name.split(separator: "/").last.map(String.init) ?? name
    guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return "" }
    return base[base.index(after: dot)...].lowercased()
  }

  /// NUL bytes, or more than 10 % control bytes other than whitespace, in the sample.
  package static func isBinary(_ prefix: ArraySlice<UInt8>) -> Bool {
    let sample = prefix.prefix(8192)
    if sample.isEmpty { return false }
    return sample.withUnsafeBytes { raw in
      var control = 0
      var i = 0
      let n = raw.count
      while i < n {
        // Eight bytes at a time while none is below 0x20 (the usual case for text).
        if i + 8 <= n {
          let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
          if (x &- 0x2020_2020_2020_2020) & ~x & 0x8080_8080_8080_8080 == 0 {
            i += 8
            continue
          }
        }
        let b = raw[i]
        if b == 0 { return true }
        if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B { control += 1 }
        i += 1
      }
      return control * 10 > sample.count
    }
  }

  /// True when the first markup, after a BOM, whitespace and comments, is an HTML-ish tag.
  package static func looksLikeHTML(_ prefix: ArraySlice<UInt8>, utf16: Bool = false) -> Bool {
    var bytes = Array(prefix.prefix(4096))
    if utf16 {
      // Keep every other byte: enough to see ASCII markup.
      let le = bytes.first == 0xFF
      bytes = stride(from: le ? 2 : 3, to: bytes.count, by: 2).map { bytes[$0] }
    } else if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      bytes.removeFirst(3)
    }
    var i = 0
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
      i += 1
    }
    guard i < bytes.count, bytes[i] == UInt8(ascii: "<") else { return false }
    let rest = String(decoding: bytes[i..<min(bytes.count, i + 64)], as: UTF8.self).lowercased()
    let starts = [
      "<!doctype html", "<html", "<head", "<body", "<?xml", "<!--", "<meta", "<title", "<div", "<p>", "<h1",
      "<article", "<table",
    ]
    if starts.contains(where: { rest.hasPrefix($0) }) {
      if rest.hasPrefix("<?xml") || rest.hasPrefix("<!--") {
        // An XML declaration or a comment must be followed by html somewhere early on.
        let text = Array(bytes.prefix(1024)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        func has(_ s: String) -> Bool {
          let needle = Array(s.utf8)
          return text.count >= needle.count
            && (0...(text.count - needle.count)).contains {
              text[$0..<$0 + needle.count].elementsEqual(needle)
            }
        }
        return has("<html") || has("<!doctype html")
      }
      return true
    }
    return false
  }
}
