import DossierTestSupport
import Foundation

/// Runs the built `dossier` binary and captures what it prints.
struct CLIRunner {
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Each stdout line parsed as a JSON object.
    var jsonLines: [[String: Any]] {
      stdout.split(separator: "\n").compactMap {
        (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
      }
    }
  }

  /// The `dossier` executable next to the test bundle in the build folder.
  static let executable: String = {
    let me =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    var url = URL(fileURLWithPath: me).deletingLastPathComponent()
    // The test bundle may sit inside an .xctest folder.
    while !FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("dossier").path),
      url.path != "/"
    {
      url.deleteLastPathComponent()
    }
    return url.appendingPathComponent("dossier").path
  }()

  static var repositoryRoot: String { DossierTestSupport.repositoryRoot }

  static func run(
    _ arguments: [String], stdin: String? = nil, cwd: String? = nil, environment: [String: String] = [:]
  ) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: cwd ?? repositoryRoot)
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
