import DossierTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Real processes against one index: the writer lock between two of them, and `dossier index`
/// killed with SIGKILL at random moments.
@Suite("index lock and kill -9, with real processes", .serialized)
struct IndexRobustnessTests {
  /// Starts `dossier` with the given arguments; standard input stays open until closed.
  static func start(_ arguments: [String]) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLIRunner.executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: CLIRunner.repositoryRoot)
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return (process, input)
  }

  /// Whether some process holds the writer lock of `index` (tried with flock, then released).
  static func lockIsHeld(_ index: String) -> Bool {
    let fd = open(index + "/write.lock", O_RDWR)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    if flock(fd, LOCK_EX | LOCK_NB) == 0 {
      flock(fd, LOCK_UN)
      return false
    }
    return errno == EWOULDBLOCK
  }

  @Test func aSecondWriterFailsWithBusyOrWaits() throws {
    let t = try TempFolder()
    let index = t.path + "/ix"
    try t.write("docs/a.txt", "A\n\nCameras.")
    // The first writer holds the lock while it waits for JSON Lines on its standard input.
    let (first, input) = try Self.start(["index", "--index", index, "--jsonl", "-"])
    var waited = 0
    while !Self.lockIsHeld(index) && waited < 10_000 {
      usleep(10_000)
      waited += 10
    }
    #expect(Self.lockIsHeld(index))
    let busy = try CLIRunner.run(["index", "--index", index, t.path + "/docs"])
    #expect(busy.status == 3)
    #expect(busy.stderr.contains("index busy"))
    // Readers are not blocked by the writer.
    #expect(try CLIRunner.run(["check", "--index", index]).status != 3)
    // A writer with --wait goes ahead once the first one is done.
    let (second, secondInput) = try Self.start(["index", "--index", index, "--wait", t.path + "/docs"])
    try secondInput.fileHandleForWriting.close()
    usleep(200_000)
    #expect(second.isRunning)
    input.fileHandleForWriting.write(Data(#"{"id": "n1", "text": "From the first writer."}"#.utf8 + [10]))
    try input.fileHandleForWriting.close()
    first.waitUntilExit()
    second.waitUntilExit()
    #expect(first.terminationStatus == 0)
    #expect(second.terminationStatus == 0)
    let stats = try #require(try CLIRunner.run(["stats", "--index", index, "--json"]).jsonLines.first)
    #expect(stats["documents"] as? Int == 2)
  }

  @Test func killedAtRandomMomentsThenCompleted() throws {
    let t = try TempFolder()
    let index = t.path + "/ix"
    let words = [
      "camera", "spyware", "contract", "police", "export", "network", "vendor", "data", "court", "city",
    ]
    for i in 0..<300 {
      var text = "Report \(i)\n\n"
      for j in 0..<40 { text += words[(i * 7 + j * 3) % words.count] + (j % 9 == 8 ? ".\n\n" : " ") }
      try t.write("docs/\(i / 100)/r\(i).txt", text)
    }
    var rng = SystemRandomNumberGenerator()
    var killedAfterACommit = 0
    for round in 0..<6 {
      let (process, input) = try Self.start([
        "index", "--index", index, "--commit-interval", "0.001", "--threads", "2", t.path + "/docs",
      ])
      try input.fileHandleForWriting.close()
      usleep(UInt32.random(in: 20_000...700_000, using: &rng))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      if FileManager.default.fileExists(atPath: index + "/manifest") {
        killedAfterACommit += 1
        let check = try CLIRunner.run(["check", "--index", index])
        #expect(check.status == 0, "round \(round): \(check.stdout) \(check.stderr)")
      }
    }
    // A last, complete run: every file exactly once.
    let last = try CLIRunner.run(["index", "--index", index, "--json", t.path + "/docs"])
    #expect(last.status == 0, "\(last.stderr)")
    let stats = try #require(try CLIRunner.run(["stats", "--index", index, "--json"]).jsonLines.first)
    #expect(stats["documents"] as? Int == 300)
    #expect(stats["source_files"] as? Int == 300)
    // check also proves that no id is live twice.
    #expect(try CLIRunner.run(["check", "--index", index]).status == 0)
    // A run after that has nothing to do.
    let again = try #require(
      try CLIRunner.run(["index", "--index", index, "--json", t.path + "/docs"]).jsonLines.last)
    #expect(again["unchanged"] as? Int == 300)
    print("kill -9 rounds that found a commit to check: \(killedAfterACommit) of 6")
  }
}
