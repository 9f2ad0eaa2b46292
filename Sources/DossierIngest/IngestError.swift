/// Why a source yielded no document. Each case has a short, stable `reason` word for scripts
/// and a sentence for people.
public enum IngestError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file's bytes are not text (NUL bytes or mostly control bytes).
  case binary
  /// The file is larger than the configured limit.
  case tooLarge(size: Int, limit: Int)
  /// The file could not be opened or read.
  case unreadable(String)
  /// The file is of a kind Dossier does not ingest.
  case unsupported(String)
  /// The content could not be parsed at all.
  case unparsable(String)

  /// One word for scripts: `binary`, `too-large`, `unreadable`, `unsupported`, `unparsable`.
  public var reason: String {
    switch self {
    case .binary: "binary"
    case .tooLarge: "too-large"
    case .unreadable: "unreadable"
    case .unsupported: "unsupported"
    case .unparsable: "unparsable"
    }
  }

  public var description: String {
    switch self {
    case .binary: "binary: the file is not text (NUL or control bytes); skipped"
    case .tooLarge(let size, let limit):
      "too-large: \(size) bytes is over the limit of \(limit) bytes; skipped (raise it with --max-file-size)"
    case .unreadable(let why): "unreadable: \(why)"
    case .unsupported(let why): "unsupported: \(why)"
    case .unparsable(let why): "unparsable: \(why)"
    }
  }
}
