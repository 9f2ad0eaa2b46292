import DossierIndex

/// What went wrong in the library: one error type for every public call, with a case per
/// kind of failure a caller (or the CLI's exit code) must tell apart.
///
///     do { let indexer = try Indexer(path: "Index") }
///     catch DossierError.busy(let path) { print("someone else is writing: \(path)") }
public enum DossierError: Error, Sendable, Hashable, CustomStringConvertible {
  /// An index file is damaged; `file` names it.
  case corrupt(file: String, detail: String)
  /// An index file has a format version this build does not read.
  case unsupportedVersion(file: String, found: Int, supported: ClosedRange<Int>)
  /// Another writer holds the index's lock.
  case busy(path: String)
  /// There is no index at `path`.
  case notAnIndex(path: String)
  /// A system call failed (a file could not be read, written or synced).
  case io(path: String, message: String)
  /// A query is not valid in strict mode; `position` is its character offset.
  case querySyntax(message: String, position: Int)
  /// An option or argument is not valid.
  case invalidArgument(String)

  public var description: String {
    switch self {
    case .corrupt(let file, let detail): "index file \(file) is corrupt: \(detail)"
    case .unsupportedVersion(let file, let found, let supported):
      "index file \(file) has format version \(found); this build reads versions "
        + "\(supported.lowerBound)...\(supported.upperBound)"
    case .busy(let path): "index busy: another writer holds \(path)"
    case .notAnIndex(let path): "no index at \(path)"
    case .io(let path, let message): "\(path): \(message)"
    case .querySyntax(let message, let position): "query syntax error at character \(position): \(message)"
    case .invalidArgument(let message): message
    }
  }

  /// The library's error for an index-layer error.
  package init(_ error: any Error) {
    switch error {
    case let e as DossierError: self = e
    case let e as IndexError:
      switch e {
      case .corrupt(let file, let detail): self = .corrupt(file: file, detail: detail)
      case .unsupportedVersion(let file, let found, let supported):
        self = .unsupportedVersion(
          file: file, found: Int(found), supported: Int(supported.lowerBound)...Int(supported.upperBound))
      case .io(let path, let message): self = .io(path: path, message: message)
      case .busy(let path): self = .busy(path: path)
      }
    default: self = .io(path: "", message: "\(error)")
    }
  }
}
