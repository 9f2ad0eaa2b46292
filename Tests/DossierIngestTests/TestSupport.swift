import Foundation

@testable import DossierIngest

/// A temporary folder removed when the value is dropped.
final class TempFolder {
  let path: String

  init() throws {
    let base = FileManager.default.temporaryDirectory.path
    path = base + "/dossier-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  @discardableResult
  func write(_ relative: String, _ text: String) throws -> String {
    try write(relative, bytes: Array(text.utf8))
  }

  @discardableResult
  func write(_ relative: String, bytes: [UInt8]) throws -> String {
    let full = path + "/" + relative
    let folder = (full as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: full))
    return full
  }
}

/// The repository root, found from this file's path.
let repositoryRoot: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}()
