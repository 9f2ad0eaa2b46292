import Foundation

/// A small seeded generator (SplitMix64), so that randomized tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// The repository root, found from this file's path.
let repositoryRoot: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}()

/// A temporary folder removed when the value is dropped.
final class TempFolder {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.path + "/dossier-search-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes a file in the folder and returns its full path.
  func write(_ name: String, _ text: String) throws -> String {
    let full = path + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    return full
  }
}
