#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file the walker found, with the id its document will get.
public struct SourceFile: Sendable, Hashable, Codable {
  /// The path to open (as given, joined with the names below it).
  public var path: String
  /// The stable document id: the path relative to the walked folder, or the file name for a
  /// file named directly.
  public var id: String
  public var size: Int
  /// Modification time in nanoseconds since 1970.
  public var modified: Int64

  public init(path: String, id: String, size: Int, modified: Int64) {
    self.path = path
    self.id = id
    self.size = size
    self.modified = modified
  }
}

/// Something the walker could not use, and why. Not fatal: the walk goes on.
public struct WalkProblem: Sendable, Hashable, Codable, CustomStringConvertible {
  public var path: String
  public var reason: String
  public var description: String { "\(path): \(reason)" }
}

/// Options for walking folders.
public struct WalkOptions: Sendable, Hashable {
  /// Only files matching one of these globs are kept (all files when empty).
  public var include: [String] = []
  /// Files and folders matching any of these globs are left out.
  public var exclude: [String] = []
  public init(include: [String] = [], exclude: [String] = []) {
    self.include = include
    self.exclude = exclude
  }
}

/// Walks files and folders into a sorted list of source files.
///
/// Hidden files and folders (names starting with ".") and version-control folders are skipped
/// when met inside a walked folder; a path named on the command line is always taken. Symbolic
/// links are followed, and a folder already visited (a link loop) is reported and not entered
/// twice. Unreadable entries are reported and skipped.
///
/// ```swift
/// let (files, problems) = Walker(options: WalkOptions(include: ["*.html"])).walk(["Samples"])
/// ```
///
/// Cost: one `stat` per entry; entries are sorted by name for a deterministic order.
package struct Walker: Sendable {
  package var options: WalkOptions
  private let includes: [Glob]
  private let excludes: [Glob]
  package static let versionControlFolders: Set<String> = [
    ".git", ".hg", ".svn", ".bzr", "_darcs", "CVS", ".jj",
  ]

  package init(options: WalkOptions = WalkOptions()) {
    self.options = options
    self.includes = options.include.map(Glob.init)
    self.excludes = options.exclude.map(Glob.init)
  }

  package func walk(_ roots: [String]) -> (files: [SourceFile], problems: [WalkProblem]) {
    var files: [SourceFile] = []
    var problems: [WalkProblem] = []
    var visited = Set<FileIdentity>()
    for root in roots {
      var st = stat()
      guard stat(root, &st) == 0 else {
        problems.append(WalkProblem(path: root, reason: Walker.errnoMessage(errno)))
        continue
      }
      if Walker.isDirectory(st) {
        visited.insert(FileIdentity(st))
        walkFolder(root, relative: "", visited: &visited, files: &files, problems: &problems)
      } else if Walker.isRegular(st) {
        let name = root.split(separator: "/").last.map(String.init) ?? root
        files.append(SourceFile(path: root, id: name, size: Int(st.st_size), modified: Walker.mtime(st)))
      } else {
        problems.append(WalkProblem(path: root, reason: "not a regular file or folder"))
      }
    }
    return (files, problems)
  }

  private func walkFolder(
    _ folder: String, relative: String, visited: inout Set<FileIdentity>,
    files: inout [SourceFile], problems: inout [WalkProblem]
  ) {
    guard let dir = opendir(folder) else {
      problems.append(WalkProblem(path: folder, reason: Walker.errnoMessage(errno)))
      return
    }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      names.append(name)
    }
    closedir(dir)
    names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    let base = folder.hasSuffix("/") ? folder : folder + "/"
    for name in names {
      if name.hasPrefix(".") || Walker.versionControlFolders.contains(name) { continue }
      let path = base + name
      let rel = relative.isEmpty ? name : relative + "/" + name
      if excludes.contains(where: { $0.matches(relativePath: rel) }) { continue }
      var st = stat()
      guard stat(path, &st) == 0 else {
        var lst = stat()
        let broken = lstat(path, &lst) == 0 && (lst.st_mode & S_IFMT) == S_IFLNK
        problems.append(
          WalkProblem(path: path, reason: broken ? "broken symbolic link" : Walker.errnoMessage(errno)))
        continue
      }
      if Walker.isDirectory(st) {
        let identity = FileIdentity(st)
        if visited.contains(identity) {
          problems.append(
            WalkProblem(path: path, reason: "folder already visited (symbolic link loop); skipped"))
          continue
        }
        visited.insert(identity)
        walkFolder(path, relative: rel, visited: &visited, files: &files, problems: &problems)
      } else if Walker.isRegular(st) {
        if !includes.isEmpty && !includes.contains(where: { $0.matches(relativePath: rel) }) { continue }
        files.append(SourceFile(path: path, id: rel, size: Int(st.st_size), modified: Walker.mtime(st)))
      }
    }
  }

  struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
    init(_ st: stat) {
      device = UInt64(st.st_dev)
      inode = UInt64(st.st_ino)
    }
  }

  static func isDirectory(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFDIR }
  static func isRegular(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFREG }
  static func mtime(_ st: stat) -> Int64 {
    #if canImport(Darwin)
      Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
    #else
      Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    #endif
  }
  package static func errnoMessage(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}

/// Reads a whole file into memory, refusing files over `limit` bytes.
///
/// Cost: one `open`, one `fstat`, reads in 1 MiB steps.
package func readFile(_ path: String, limit: Int) throws(IngestError) -> [UInt8] {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { throw .unreadable(Walker.errnoMessage(errno)) }
  defer { close(fd) }
  var st = stat()
  guard fstat(fd, &st) == 0 else { throw .unreadable(Walker.errnoMessage(errno)) }
  guard (st.st_mode & S_IFMT) == S_IFREG else { throw .unreadable("not a regular file") }
  let size = Int(st.st_size)
  if size > limit { throw .tooLarge(size: size, limit: limit) }
  return try readAll(fd: fd, expected: size, limit: limit)
}

/// Reads a descriptor to its end (standard input, pipes), refusing more than `limit` bytes.
package func readAll(fd: Int32, expected: Int = 0, limit: Int) throws(IngestError) -> [UInt8] {
  var buffer = [UInt8](repeating: 0, count: max(expected, 0) + 1)
  var count = 0
  while true {
    if count == buffer.count {
      buffer.append(contentsOf: repeatElement(0, count: max(1 << 16, buffer.count)))
    }
    let n = buffer.withUnsafeMutableBytes { raw in
      read(fd, raw.baseAddress! + count, min(raw.count - count, 1 << 20))
    }
    if n < 0 {
      if errno == EINTR { continue }
      throw .unreadable(Walker.errnoMessage(errno))
    }
    if n == 0 { break }
    count += n
    if count > limit { throw .tooLarge(size: count, limit: limit) }
  }
  buffer.removeSubrange(count...)
  return buffer
}
