/// Where the files of an index live: a folder on disk (`FileDirectory`), memory
/// (`MemoryDirectory`, for tests), or a wrapper that injects failures (`FaultyDirectory`).
///
/// The index writes each file once, sequentially, through an `IndexOutput`, and never changes
/// it afterwards; it reads files whole through `FileBytes` (memory-mapped on disk). Durability
/// is explicit, as in POSIX: `sync(_:)` makes file contents durable, `syncDirectory()` makes
/// creations, renames and deletions durable, and `rename(_:to:)` atomically replaces the target.
///
///     let dir: any Directory = try FileDirectory(path: "Index", create: true)
///     let out = try dir.createOutput("seg_1.doc")
///     try out.write(bytes); try out.close()
///     try dir.sync(["seg_1.doc"]); try dir.syncDirectory()
///     let file = try dir.openInput("seg_1.doc")   // file.bytes stays valid while `file` lives
///
/// Names are plain file names (no `/`). Implementations are safe to use from several threads.
package protocol Directory: Sendable {
  /// Creates `name` for writing; fails if it exists (index files are written once).
  func createOutput(_ name: String) throws -> any IndexOutput
  /// The whole contents of `name`, readable while the returned object lives. Cost: one mmap.
  func openInput(_ name: String) throws -> FileBytes
  /// The names of all files, sorted by bytes.
  func listAll() throws -> [String]
  /// Whether `name` exists.
  func fileExists(_ name: String) -> Bool
  /// The size of `name` in bytes.
  func fileLength(_ name: String) throws -> Int
  /// Removes `name`; readers that mapped it keep their bytes.
  func delete(_ name: String) throws
  /// Renames `from` to `to`, atomically replacing `to` if it exists.
  func rename(_ from: String, to: String) throws
  /// Makes the contents of the named files durable (fsync).
  func sync(_ names: [String]) throws
  /// Makes the directory's entries (creations, renames, deletions) durable (fsync of the folder).
  func syncDirectory() throws
}

/// A file being written: bytes are appended in order, then `close()`.
package protocol IndexOutput: AnyObject {
  /// The file name.
  var name: String { get }
  /// Appends `bytes`.
  func write(_ bytes: UnsafeRawBufferPointer) throws
  /// Flushes and closes; the file is then complete (but durable only after `sync`).
  func close() throws
}

/// The bytes of one file, kept readable (mapped or owned) for as long as this object lives.
///
/// Readers keep a reference to it and work on `bytes` directly: no copy, no per-read system call.
package final class FileBytes: @unchecked Sendable {
  /// The file name, for error messages.
  package let name: String
  /// The contents. Valid until this object is deinitialized.
  package let bytes: UnsafeRawBufferPointer
  private let release: @Sendable (UnsafeRawBufferPointer) -> Void

  /// Wraps `bytes`; `release` is called once when this object dies (e.g. `munmap`).
  package init(
    name: String, bytes: UnsafeRawBufferPointer,
    release: @escaping @Sendable (UnsafeRawBufferPointer) -> Void
  ) {
    self.name = name
    self.bytes = bytes
    self.release = release
  }

  /// A heap copy of `array` (memory directory, tests).
  package convenience init(name: String, copying array: [UInt8]) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(array.count, 1), alignment: 16)
    array.withUnsafeBytes { src in
      if src.count > 0 { buffer.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: src.count) }
    }
    // An empty file keeps its (1-byte) allocation's address so `release` can free it.
    self.init(
      name: name, bytes: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: array.count),
      release: { b in UnsafeMutableRawPointer(mutating: b.baseAddress!).deallocate() })
  }

  deinit { release(bytes) }

  /// The number of bytes.
  package var count: Int { bytes.count }
}

extension Directory {
  /// Writes `bytes` as the whole new file `name` (create, write, close).
  package func writeFile(_ name: String, _ bytes: [UInt8]) throws {
    let out = try createOutput(name)
    try bytes.withUnsafeBytes { try out.write($0) }
    try out.close()
  }

  /// A copy of the whole file `name`.
  package func readFile(_ name: String) throws -> [UInt8] {
    let f = try openInput(name)
    return [UInt8](f.bytes)
  }
}
