import DossierTestSupport
import Foundation
import Testing

@testable import DossierIngest

@Suite("Walking files and folders")
struct WalkerTests {
  @Test func walksRecursivelyInSortedOrderWithRelativeIds() throws {
    let t = try TempFolder()
    try t.write("b.html", "<p>b</p>")
    try t.write("a/z.txt", "z")
    try t.write("a/c.md", "# c")
    let (files, problems) = Walker().walk([t.path])
    #expect(problems.isEmpty)
    #expect(files.map(\.id) == ["a/c.md", "a/z.txt", "b.html"])
    #expect(files[0].path == t.path + "/a/c.md")
    #expect(files[2].size == 8)
  }

  @Test func aFileNamedDirectlyGetsItsFileNameAsId() throws {
    let t = try TempFolder()
    let p = try t.write("deep/er/report.txt", "x")
    #expect(Walker().walk([p]).files.map(\.id) == ["report.txt"])
  }

  @Test func skipsHiddenAndVersionControlFolders() throws {
    let t = try TempFolder()
    try t.write(".git/config.txt", "x")
    try t.write(".cache/a.txt", "x")
    try t.write(".hidden.txt", "x")
    try t.write("CVS/entries.txt", "x")
    try t.write("kept.txt", "x")
    #expect(Walker().walk([t.path]).files.map(\.id) == ["kept.txt"])
  }

  @Test func includeAndExcludeGlobs() throws {
    let t = try TempFolder()
    try t.write("a.html", "x")
    try t.write("b.txt", "x")
    try t.write("drafts/c.html", "x")
    try t.write("drafts/deeper/d.html", "x")
    let w = Walker(options: WalkOptions(include: ["*.html"], exclude: ["drafts/deeper"]))
    #expect(w.walk([t.path]).files.map(\.id) == ["a.html", "drafts/c.html"])
    let w2 = Walker(options: WalkOptions(exclude: ["drafts/**"]))
    #expect(w2.walk([t.path]).files.map(\.id) == ["a.html", "b.txt"])
  }

  @Test func survivesSymlinkLoopsAndBrokenLinks() throws {
    let t = try TempFolder()
    try t.write("a/file.txt", "x")
    try FileManager.default.createSymbolicLink(atPath: t.path + "/a/loop", withDestinationPath: t.path + "/a")
    try FileManager.default.createSymbolicLink(
      atPath: t.path + "/a/gone.txt", withDestinationPath: t.path + "/missing")
    let (files, problems) = Walker().walk([t.path])
    #expect(files.map(\.id) == ["a/file.txt"])
    #expect(problems.contains { $0.reason.contains("loop") })
    #expect(problems.contains { $0.reason == "broken symbolic link" })
  }

  @Test func missingRootIsAProblemNotACrash() {
    let (files, problems) = Walker().walk(["/nonexistent/dossier/path"])
    #expect(files.isEmpty)
    #expect(problems.count == 1)
    #expect(problems[0].reason.contains("No such file"))
  }

  @Test func readFileRefusesOversizedFiles() throws {
    let t = try TempFolder()
    let p = try t.write("big.txt", String(repeating: "a", count: 1000))
    #expect(throws: IngestError.tooLarge(size: 1000, limit: 999)) { try readFile(p, limit: 999) }
    #expect(try readFile(p, limit: 1000).count == 1000)
    #expect(throws: IngestError.self) { try readFile(t.path, limit: 10) }
  }
}

@Suite("Glob patterns")
struct GlobTests {
  @Test(arguments: [
    ("*.html", "a/b/report.html", true), ("*.html", "report.htm", false),
    ("*.htm?", "x.html", true), ("report-[0-9].txt", "report-7.txt", true),
    ("report-[!0-9].txt", "report-7.txt", false), ("a/*.txt", "a/b.txt", true),
    ("a/*.txt", "a/b/c.txt", false), ("a/**", "a/b/c.txt", true), ("**/c.txt", "c.txt", true),
    ("**/c.txt", "a/b/c.txt", true), ("a/**/c.txt", "a/c.txt", true), ("?.md", "é.md", true),
    ("[a", "[a", true),
  ])
  func matches(pattern: String, path: String, expected: Bool) {
    #expect(Glob(pattern).matches(relativePath: path) == expected)
  }
}
