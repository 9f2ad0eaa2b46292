#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why an index file could not be read or written.
///
/// Every case names the file (or path) so that `dossier check` and error messages can say which
/// file is damaged or unreachable.
///
///     do { _ = try SegmentReader.open(in: dir, segment: "seg_1") }
///     catch IndexError.corrupt(let file, let detail) { print("\(file): \(detail)") }
package enum IndexError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The bytes of `file` are not what the format says: a bad checksum, magic number, length,
  /// or a structural invariant that does not hold.
  case corrupt(file: String, detail: String)
  /// `file` was written by a format version this build does not read.
  case unsupportedVersion(file: String, found: UInt32, supported: ClosedRange<UInt32>)
  /// A system call on `path` failed; `message` is the errno text (or why a test injected it).
  case io(path: String, message: String)
  /// Another writer holds the index's lock (`path` is the lock file).
  case busy(path: String)

  package var description: String {
    switch self {
    case .corrupt(let file, let detail): "index file \(file) is corrupt: \(detail)"
    case .unsupportedVersion(let file, let found, let supported):
      "index file \(file) has format version \(found); this build reads versions "
        + "\(supported.lowerBound)...\(supported.upperBound)"
    case .io(let path, let message): "\(path): \(message)"
    case .busy(let path): "index busy: another writer holds \(path)"
    }
  }

  /// The `.io` error for the current `errno`.
  static func _errno(_ path: String, _ what: String) -> IndexError {
    let code = errno
    let text = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
    return .io(path: path, message: "\(what): \(text)")
  }
}
