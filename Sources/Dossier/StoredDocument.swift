import DossierIngest

/// The byte form of a `Document` kept in the index's stored fields: what `show` prints and
/// what snippets are cut from.
///
/// Grammar (all integers unsigned LEB128 varints, strings as varint length + UTF-8 bytes):
///
///     StoredDocument := version:u8(=1) id:String path:String type:u8 encoding:String
///                       title:String metaCount:varint (key:String value:String)^metaCount
///                       headingCount:varint (level:u8 text:String)^headingCount
///                       blockCount:varint block:String^blockCount
///                       warningCount:varint warning:String^warningCount
///
/// An empty `path` or `encoding` string stands for nil; `type` is the index of the
/// `DocumentType` case in declaration order (html 0, text 1, markdown 2, jsonl 3). Metadata
/// keys are written in byte order so that equal documents have equal bytes.
///
/// ```swift
/// let bytes = StoredDocument.encode(doc)
/// let back = try StoredDocument.decode(bytes)   // == doc
/// ```
///
/// Cost: O(size of the document) both ways, one allocation for the output.
package enum StoredDocument {
  package static let version: UInt8 = 1

  package struct DecodeError: Error, Equatable, CustomStringConvertible {
    package var offset: Int
    package var reason: String
    package var description: String { "stored document: \(reason) at byte \(offset)" }
  }

  package static func encode(_ doc: Document) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(doc.blocks.reduce(256) { $0 + $1.utf8.count + 2 })
    out.append(version)
    putString(doc.id, &out)
    putString(doc.path ?? "", &out)
    out.append(UInt8(DocumentType.allCases.firstIndex(of: doc.type)!))
    putString(doc.encoding ?? "", &out)
    putString(doc.title, &out)
    let keys = doc.metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    putVarint(UInt64(keys.count), &out)
    for k in keys {
      putString(k, &out)
      putString(doc.metadata[k]!, &out)
    }
    putVarint(UInt64(doc.headings.count), &out)
    for h in doc.headings {
      out.append(UInt8(clamping: h.level))
      putString(h.text, &out)
    }
    putVarint(UInt64(doc.blocks.count), &out)
    for b in doc.blocks { putString(b, &out) }
    putVarint(UInt64(doc.warnings.count), &out)
    for w in doc.warnings { putString(w, &out) }
    return out
  }

  package static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Document {
    var r = Reader(bytes: bytes)
    let v = try r.byte()
    guard v == version else { throw DecodeError(offset: 0, reason: "unknown version \(v)") }
    let id = try r.string()
    let path = try r.string()
    let typeIndex = Int(try r.byte())
    guard typeIndex < DocumentType.allCases.count else {
      throw DecodeError(offset: r.offset - 1, reason: "unknown document type \(typeIndex)")
    }
    let encoding = try r.string()
    let title = try r.string()
    var metadata: [String: String] = [:]
    for _ in 0..<(try r.count()) {
      let k = try r.string()
      metadata[k] = try r.string()
    }
    var headings: [Heading] = []
    for _ in 0..<(try r.count()) {
      let level = Int(try r.byte())
      headings.append(Heading(level: level, text: try r.string()))
    }
    var blocks: [String] = []
    for _ in 0..<(try r.count()) { blocks.append(try r.string()) }
    var warnings: [String] = []
    for _ in 0..<(try r.count()) { warnings.append(try r.string()) }
    guard r.offset == bytes.count else { throw DecodeError(offset: r.offset, reason: "trailing bytes") }
    return Document(
      id: id, type: DocumentType.allCases[typeIndex], path: path.isEmpty ? nil : path,
      encoding: encoding.isEmpty ? nil : encoding, title: title, metadata: metadata,
      headings: headings, blocks: blocks, warnings: warnings)
  }

  static func putVarint(_ value: UInt64, _ out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
      out.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
  }

  static func putString(_ s: String, _ out: inout [UInt8]) {
    putVarint(UInt64(s.utf8.count), &out)
    // Through the contiguous UTF-8 buffer: appending `s.utf8` itself copies byte by byte.
    var s = s
    s.withUTF8 { out.append(contentsOf: $0) }
  }

  struct Reader {
    let bytes: [UInt8]
    var offset = 0

    mutating func byte() throws(DecodeError) -> UInt8 {
      guard offset < bytes.count else { throw DecodeError(offset: offset, reason: "unexpected end") }
      defer { offset += 1 }
      return bytes[offset]
    }

    mutating func varint() throws(DecodeError) -> UInt64 {
      var result: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        let b = try byte()
        guard shift < 64 else { throw DecodeError(offset: offset, reason: "varint too long") }
        result |= UInt64(b & 0x7F) << shift
        if b < 0x80 { return result }
        shift += 7
      }
    }

    mutating func count() throws(DecodeError) -> Int {
      let n = try varint()
      // Every counted item takes at least one byte, so a count beyond the rest is damage.
      guard n <= UInt64(bytes.count - offset) else {
        throw DecodeError(offset: offset, reason: "count \(n) too large")
      }
      return Int(n)
    }

    mutating func string() throws(DecodeError) -> String {
      let n = try count()
      defer { offset += n }
      return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
    }
  }
}
