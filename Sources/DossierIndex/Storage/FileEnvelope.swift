/// The header and footer every index file has, and the writer that puts them there.
///
/// Grammar (all integers little-endian):
///
///     File     := Header Body Footer
///     Header   := Magic:"DOSX" Kind:byte[4] Version:u32 SegmentID:u64      (20 bytes)
///     Footer   := FooterMagic:"XSOD" Checksum:u32                          (8 bytes)
///
/// `Kind` names the file's format (`SINF`, `DICT`, `DOCS`, `POSN`, `STOR`, `NORM`, `NUMS`,
/// `DELS`); `SegmentID` is the random id of the segment the file belongs to, so that files of
/// two segments cannot be mixed up; `Checksum` is CRC-32C of every byte before it (header, body
/// and footer magic).
package enum _FileFormat {
  /// The format version this build writes.
  ///
  /// 2: impact lists in the postings' skip data (`_Impact`); every other file as in 1.
  /// 3: full blocks of the postings (doc deltas, frequencies, positions) packed in the vertical
  /// layout (`_BitPacking`'s VerticalBlock), decoded four values at a time; as 2 otherwise.
  package static let version: UInt32 = 3
  /// The format versions this build reads.
  package static let supportedVersions: ClosedRange<UInt32> = 1...3
  package static let magic: [UInt8] = Array("DOSX".utf8)
  package static let footerMagic: [UInt8] = Array("XSOD".utf8)
  package static let headerSize = 20
  package static let footerSize = 8

  /// Checks the envelope of `file` and returns its body (between header and footer).
  ///
  /// Always checks magic, kind, version, segment id and footer magic; checks the CRC over the
  /// whole file when `verifyChecksum` (cost: O(file size), about 1.5-2 GB/s).
  package static func openBody(
    _ file: FileBytes, kind: String, segmentID: UInt64?, verifyChecksum: Bool
  ) throws -> UnsafeRawBufferPointer {
    let b = file.bytes
    let name = file.name
    guard b.count >= headerSize + footerSize else {
      throw IndexError.corrupt(file: name, detail: "file is \(b.count) bytes, shorter than header and footer")
    }
    guard b[0..<4].elementsEqual(magic) else {
      throw IndexError.corrupt(file: name, detail: "bad magic number (not a Dossier index file)")
    }
    guard b[4..<8].elementsEqual(kind.utf8) else {
      throw IndexError.corrupt(
        file: name, detail: "file kind is \(String(decoding: b[4..<8], as: UTF8.self)), expected \(kind)")
    }
    if verifyChecksum {
      let stored = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: b.count - 4, as: UInt32.self))
      let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[0..<b.count - 4]))
      guard stored == actual else {
        throw IndexError.corrupt(
          file: name,
          detail: "checksum mismatch (stored \(_hex32(stored)), computed \(_hex32(actual)))")
      }
    }
    let version = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
    guard supportedVersions.contains(version) else {
      throw IndexError.unsupportedVersion(file: name, found: version, supported: supportedVersions)
    }
    let id = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 12, as: UInt64.self))
    if let segmentID, id != segmentID {
      throw IndexError.corrupt(
        file: name, detail: "belongs to segment id \(_hex64(id)), expected \(_hex64(segmentID))")
    }
    guard b[(b.count - 8)..<(b.count - 4)].elementsEqual(footerMagic) else {
      throw IndexError.corrupt(file: name, detail: "bad footer magic (truncated file?)")
    }
    return UnsafeRawBufferPointer(rebasing: b[headerSize..<(b.count - footerSize)])
  }

  /// Whether the stored CRC matches the contents.
  package static func checksumMatches(_ file: FileBytes) -> Bool {
    let b = file.bytes
    guard b.count >= headerSize + footerSize else { return false }
    let stored = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: b.count - 4, as: UInt32.self))
    return stored == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[0..<b.count - 4]))
  }
}

func _hex32(_ v: UInt32) -> String {
  let s = String(v, radix: 16)
  return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}
func _hex64(_ v: UInt64) -> String {
  let s = String(v, radix: 16)
  return "0x" + String(repeating: "0", count: max(0, 16 - s.count)) + s
}

/// Writes one index file: header, body through a 64 KB buffer, and footer, computing the CRC on
/// the way.
///
///     let w = try _IndexFileWriter(dir, name: "seg_1.norm", kind: "NORM", segmentID: id)
///     w.write(bytes); try w.finish()
///
/// `position` is the offset from the start of the file (header included); formats store
/// offsets relative to the file start. Cost: one `IndexOutput.write` per 64 KB.
package final class _IndexFileWriter {
  let output: any IndexOutput
  private var buffer: [UInt8] = []
  private var crc = CRC32C()
  private var flushed = 0
  private var failed = false
  private static let bufferSize = 1 << 16

  package init(_ directory: any Directory, name: String, kind: String, segmentID: UInt64) throws {
    precondition(kind.utf8.count == 4)
    output = try directory.createOutput(name)
    buffer.reserveCapacity(Self.bufferSize)
    var h = _ByteBuffer()
    h.append(_FileFormat.magic)
    h.append(Array(kind.utf8))
    h.u32(_FileFormat.version)
    h.u64(segmentID)
    buffer.append(contentsOf: h.bytes)
  }

  /// The file name.
  package var name: String { output.name }
  /// Bytes written so far, header included.
  package var position: Int { flushed + buffer.count }

  package func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  package func write(_ bytes: UnsafeRawBufferPointer) throws {
    if buffer.count + bytes.count > Self.bufferSize { try _flush() }
    if bytes.count >= Self.bufferSize {
      crc.update(bytes)
      try output.write(bytes)
      flushed += bytes.count
    } else {
      buffer.append(contentsOf: bytes)
    }
  }

  package func write(_ b: _ByteBuffer) throws { try write(b.bytes) }

  private func _flush() throws {
    guard !buffer.isEmpty else { return }
    try buffer.withUnsafeBytes { b in
      crc.update(b)
      try output.write(b)
    }
    flushed += buffer.count
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes the footer and closes the file.
  package func finish() throws {
    buffer.append(contentsOf: _FileFormat.footerMagic)
    try _flush()
    var tail = _ByteBuffer()
    tail.u32(crc.value)
    try tail.bytes.withUnsafeBytes { try output.write($0) }
    flushed += 4
    try output.close()
  }
}
