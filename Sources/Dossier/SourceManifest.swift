import DossierIngest

/// What the index knows of each source file it was fed: the state that makes `dossier index`
/// incremental and resumable.
///
/// One entry per source path: its size, modification time, content hash, the ids of the
/// documents it produced, and whether it was indexed or failed (with the reason). The manifest
/// is committed together with the segments, so after a crash it describes exactly the last
/// commit.
///
/// Grammar (integers unsigned LEB128 varints unless typed; strings varint length + UTF-8):
///
///     SourceManifest := version:u8(=2) count:varint Entry^count
///     Entry          := path:String size:varint modified:i64le hash:u64le status:u8
///                       reason:String idCount:varint id:String^idCount
///
/// `status` is 0 for indexed and 1 for failed. Entries are sorted by path bytes. `hash` is
/// `contentHash`. Version 1 (read, never written) had FNV-1a hashes: after an upgrade, a file
/// whose time changed but whose bytes did not is re-indexed once instead of being recognized.
///
/// ```swift
/// var manifest = SourceManifest()
/// manifest.entries["a.html"] = .init(size: 10, modified: 1, hash: 42, status: .indexed, ids: ["a.html"])
/// let copy = try SourceManifest.decode(manifest.encode())
/// ```
///
/// Cost: O(entries) to encode or decode; lookups are dictionary lookups.
package struct SourceManifest: Sendable, Equatable {
  package enum Status: UInt8, Sendable, Equatable {
    case indexed = 0
    case failed = 1
  }

  package struct Entry: Sendable, Equatable {
    package var size: Int
    package var modified: Int64
    package var hash: UInt64
    package var status: Status
    package var reason: String
    package var ids: [String]

    package init(size: Int, modified: Int64, hash: UInt64, status: Status, reason: String = "", ids: [String])
    {
      self.size = size
      self.modified = modified
      self.hash = hash
      self.status = status
      self.reason = reason
      self.ids = ids
    }
  }

  package var entries: [String: Entry] = [:]

  package init() {}

  package static let version: UInt8 = 2

  package func encode() -> [UInt8] {
    var out: [UInt8] = [Self.version]
    StoredDocument.putVarint(UInt64(entries.count), &out)
    for path in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      let e = entries[path]!
      StoredDocument.putString(path, &out)
      StoredDocument.putVarint(UInt64(e.size), &out)
      withUnsafeBytes(of: e.modified.littleEndian) { out.append(contentsOf: $0) }
      withUnsafeBytes(of: e.hash.littleEndian) { out.append(contentsOf: $0) }
      out.append(e.status.rawValue)
      StoredDocument.putString(e.reason, &out)
      StoredDocument.putVarint(UInt64(e.ids.count), &out)
      for id in e.ids { StoredDocument.putString(id, &out) }
    }
    return out
  }

  package static func decode(_ bytes: [UInt8]) throws(StoredDocument.DecodeError) -> SourceManifest {
    var r = StoredDocument.Reader(bytes: bytes)
    let v = try r.byte()
    guard v == 1 || v == version else {
      throw .init(offset: 0, reason: "unknown source manifest version \(v)")
    }
    var manifest = SourceManifest()
    for _ in 0..<(try r.count()) {
      let path = try r.string()
      let size = Int(clamping: try r.varint())
      let modified = Int64(bitPattern: try r.fixed64())
      let hash = try r.fixed64()
      let statusByte = try r.byte()
      guard let status = Status(rawValue: statusByte) else {
        throw .init(offset: r.offset - 1, reason: "unknown status \(statusByte)")
      }
      let reason = try r.string()
      var ids: [String] = []
      for _ in 0..<(try r.count()) { ids.append(try r.string()) }
      manifest.entries[path] = Entry(
        size: size, modified: modified, hash: hash, status: status, reason: reason, ids: ids)
    }
    guard r.offset == bytes.count else { throw .init(offset: r.offset, reason: "trailing bytes") }
    return manifest
  }
}

extension StoredDocument.Reader {
  mutating func fixed64() throws(StoredDocument.DecodeError) -> UInt64 {
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(try byte()) << (8 * UInt64(i)) }
    return v
  }
}

/// A 64-bit hash of file contents, for noticing changed files whose size and time did not
/// change. Not cryptographic: eight bytes at a time (little-endian words), each mixed in with a
/// multiply and a shift, then a final avalanche; the length is mixed in first.
///
/// ```swift
/// let h = contentHash(Array("abc".utf8))
/// ```
///
/// Cost: one pass over the bytes, about a multiply per 8 bytes (source manifest version 2;
/// version 1 used FNV-1a, a multiply per byte, a twentieth of an indexing run's time).
package func contentHash(_ bytes: [UInt8]) -> UInt64 {
  var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
  bytes.withUnsafeBytes { b in
    let n = b.count
    var i = 0
    while i + 8 <= n {
      let w = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      h = (h ^ w) &* 0x9FB2_1C65_1E98_DF25
      h ^= h >> 32
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n {
      tail |= UInt64(b[i]) << shift
      shift += 8
      i += 1
    }
    h = (h ^ tail) &* 0x9FB2_1C65_1E98_DF25
  }
  h ^= h >> 33
  h &*= 0xC4CE_B9FE_1A85_EC53
  h ^= h >> 29
  return h
}
