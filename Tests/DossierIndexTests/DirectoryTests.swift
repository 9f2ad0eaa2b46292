import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Directory")
struct DirectoryTests {
  @Test("create, read, list, rename, delete, sync", arguments: DirectoryKind.allCases)
  func basics(kind: DirectoryKind) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    try dir.writeFile("b", [1, 2, 3])
    try dir.writeFile("a", [])
    #expect(try dir.listAll() == ["a", "b"])
    #expect(try dir.readFile("b") == [1, 2, 3])
    #expect(try dir.readFile("a") == [])
    #expect(try dir.fileLength("b") == 3)
    #expect(throws: IndexError.self) { try dir.createOutput("b") }
    try dir.sync(["a", "b"])
    try dir.writeFile("tmp", [9])
    try dir.rename("tmp", to: "b")  // atomic replace
    #expect(try dir.readFile("b") == [9])
    #expect(!dir.fileExists("tmp"))
    try dir.syncDirectory()
    // A mapped file stays readable after deletion.
    let mapped = try dir.openInput("b")
    try dir.delete("b")
    #expect(!dir.fileExists("b"))
    #expect(Array(mapped.bytes) == [9])
    #expect(throws: IndexError.self) { try dir.openInput("b") }
    #expect(throws: IndexError.self) { try dir.delete("b") }
  }

  @Test("large writes through the file writer come back intact", arguments: DirectoryKind.allCases)
  func largeFile(kind: DirectoryKind) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: 3)
    let chunk = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let w = try _IndexFileWriter(dir, name: "x", kind: "TEST", segmentID: 7)
    try w.write(chunk)
    try w.write(Array(chunk[0..<10]))
    try w.finish()
    let f = try dir.openInput("x")
    let body = try _FileFormat.openBody(f, kind: "TEST", segmentID: 7, verifyChecksum: true)
    #expect(Array(body) == chunk + chunk[0..<10])
    #expect(throws: IndexError.self) {
      try _FileFormat.openBody(f, kind: "TEST", segmentID: 8, verifyChecksum: true)
    }
    #expect(throws: IndexError.self) {
      try _FileFormat.openBody(f, kind: "DICT", segmentID: 7, verifyChecksum: true)
    }
  }

  @Test("memory directory: a crash keeps only what was synced")
  func crash() throws {
    let dir = MemoryDirectory()
    try dir.writeFile("durable", [1])
    try dir.sync(["durable"])
    try dir.syncDirectory()
    try dir.writeFile("unsynced", [2])  // never synced
    try dir.writeFile("synced-file", [3])
    try dir.sync(["synced-file"])  // content synced, but the folder was not
    dir.simulateCrash()
    #expect(try dir.listAll() == ["durable"])
    #expect(try dir.readFile("durable") == [1])
  }

  @Test("faulty directory fails the Nth operation and everything after")
  func faulty() throws {
    let base = MemoryDirectory()
    let dir = FaultyDirectory(base, failing: .write, at: 2)
    let out = try dir.createOutput("f")
    try [UInt8]([1, 2]).withUnsafeBytes { try out.write($0) }
    #expect(throws: IndexError.self) { try [UInt8]([3, 4, 5, 6]).withUnsafeBytes { try out.write($0) } }
    #expect(dir.hasFailed)
    #expect(try base.readFile("f") == [1, 2, 3, 4])  // a torn write: half of it landed
    #expect(throws: IndexError.self) { try dir.sync(["f"]) }
    #expect(dir.count(of: .write) == 2)

    let renames = FaultyDirectory(MemoryDirectory(), failing: .rename, at: 1, sticky: false)
    try renames.writeFile("a", [1])
    #expect(throws: IndexError.self) { try renames.rename("a", to: "b") }
    try renames.rename("a", to: "b")
    #expect(renames.fileExists("b"))
  }

  @Test("I/O errors name the path")
  func ioErrors() throws {
    #expect(throws: IndexError.self) { try FileDirectory(path: "/nonexistent-dossier/x") }
    do {
      _ = try FileDirectory(path: "/nonexistent-dossier/x")
    } catch let IndexError.io(path, message) {
      #expect(path == "/nonexistent-dossier/x")
      #expect(message.contains("No such file"))
    }
  }
}
