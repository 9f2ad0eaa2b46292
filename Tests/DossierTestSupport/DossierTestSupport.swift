// Helpers every test target shares: a seeded generator, the repository's paths, and temporary
// folders. A plain target under Tests/, depended on by the test targets only.
import Foundation

/// A small seeded generator (SplitMix64), so that randomized tests are reproducible.
public struct SeededRandom: RandomNumberGenerator {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// The repository root, found from this file's path (Tests/DossierTestSupport/…).
public let repositoryRoot: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}()

/// `../shared/eval` next to the repository: the relevance test collections.
public let evalDataFolder =
  URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().path + "/shared/eval"

/// A temporary folder, removed with everything in it when the value is dropped.
public final class TempFolder {
  public let path: String

  public init() throws {
    path = FileManager.default.temporaryDirectory.path + "/dossier-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `bytes` to `relative` (creating folders); returns the full path.
  @discardableResult
  public func write(_ relative: String, bytes: [UInt8]) throws -> String {
    let full = path + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: full))
    return full
  }

  /// Writes `text` as UTF-8 to `relative`; returns the full path.
  @discardableResult
  public func write(_ relative: String, _ text: String) throws -> String {
    try write(relative, bytes: Array(text.utf8))
  }
}
