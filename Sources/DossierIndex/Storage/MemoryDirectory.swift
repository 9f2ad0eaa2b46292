import Synchronization

/// A `Directory` in memory, for tests, that also models what survives a crash.
///
/// It remembers what was last made durable: each file's contents at its last `sync`, and the
/// set of names at the last `syncDirectory`. `simulateCrash()` throws away everything else,
/// as a power loss would, so crash tests can check that a commit protocol syncs what it must.
///
///     let dir = MemoryDirectory()
///     try dir.writeFile("a", [1, 2]); try dir.sync(["a"]); try dir.syncDirectory()
///     dir.simulateCrash()    // "a" survives with [1, 2]
///
/// Cost: `openInput` copies the file (tests only).
package final class MemoryDirectory: Directory {
  final class _File {
    var data: [UInt8] = []
    var durable: [UInt8]? = nil
  }
  struct _State {
    var files: [String: _File] = [:]
    var durableNames: [String: _File] = [:]
  }
  private let state = Mutex(_State())
  /// The writer lock (see `WriterLock`).
  let _writerLocked = Mutex(false)

  package init() {}

  package func createOutput(_ name: String) throws -> any IndexOutput {
    try state.withLock { s in
      if s.files[name] != nil { throw IndexError.io(path: name, message: "cannot create: File exists") }
      let f = _File()
      s.files[name] = f
      return _MemoryOutput(name: name, directory: self, file: f)
    }
  }

  func _append(_ file: _File, _ bytes: UnsafeRawBufferPointer) {
    state.withLock { _ in file.data.append(contentsOf: bytes) }
  }

  package func openInput(_ name: String) throws -> FileBytes {
    let data = try state.withLock { s -> [UInt8] in
      guard let f = s.files[name] else {
        throw IndexError.io(path: name, message: "cannot open: No such file or directory")
      }
      return f.data
    }
    return FileBytes(name: name, copying: data)
  }

  package func listAll() throws -> [String] {
    state.withLock { s in s.files.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
  }

  package func fileExists(_ name: String) -> Bool { state.withLock { $0.files[name] != nil } }

  package func fileLength(_ name: String) throws -> Int {
    try state.withLock { s in
      guard let f = s.files[name] else {
        throw IndexError.io(path: name, message: "cannot stat: No such file or directory")
      }
      return f.data.count
    }
  }

  package func delete(_ name: String) throws {
    try state.withLock { s in
      if s.files.removeValue(forKey: name) == nil {
        throw IndexError.io(path: name, message: "cannot delete: No such file or directory")
      }
    }
  }

  package func rename(_ from: String, to: String) throws {
    try state.withLock { s in
      guard let f = s.files.removeValue(forKey: from) else {
        throw IndexError.io(path: from, message: "cannot rename to \(to): No such file or directory")
      }
      s.files[to] = f
    }
  }

  package func sync(_ names: [String]) throws {
    try state.withLock { s in
      for name in names {
        guard let f = s.files[name] else {
          throw IndexError.io(path: name, message: "cannot open to sync: No such file or directory")
        }
        f.durable = f.data
      }
    }
  }

  package func syncDirectory() throws {
    state.withLock { s in s.durableNames = s.files }
  }

  /// Forgets everything not made durable: names revert to the last `syncDirectory`, contents to
  /// each file's last `sync` (empty if never synced).
  package func simulateCrash() {
    state.withLock { s in
      s.files = s.durableNames
      for f in s.files.values { f.data = f.durable ?? [] }
    }
  }
}

final class _MemoryOutput: IndexOutput {
  let name: String
  let directory: MemoryDirectory
  let file: MemoryDirectory._File
  var closed = false

  init(name: String, directory: MemoryDirectory, file: MemoryDirectory._File) {
    self.name = name
    self.directory = directory
    self.file = file
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    if closed { throw IndexError.io(path: name, message: "write after close") }
    directory._append(file, bytes)
  }

  func close() throws { closed = true }
}
