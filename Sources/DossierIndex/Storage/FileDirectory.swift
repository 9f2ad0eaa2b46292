#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `Directory` that is a folder on disk: reads through `mmap`, writes through `write(2)`,
/// durability through `fsync` of files and of the folder, `rename(2)` for atomic replacement.
///
///     let dir = try FileDirectory(path: "Index", create: true)
///
/// Cost: `openInput` is one `open`+`fstat`+`mmap`; pages are read lazily by the kernel.
package struct FileDirectory: Directory {
  /// The folder.
  package let path: String

  /// Opens the folder at `path`, creating it (one level) if asked.
  package init(path: String, create: Bool = false) throws {
    self.path = path
    var st = stat()
    if stat(path, &st) != 0 {
      guard create, errno == ENOENT else { throw IndexError._errno(path, "cannot open folder") }
      if mkdir(path, 0o755) != 0 && errno != EEXIST {
        throw IndexError._errno(path, "cannot create folder")
      }
    } else if (st.st_mode & S_IFMT) != S_IFDIR {
      throw IndexError.io(path: path, message: "not a folder")
    }
  }

  func _full(_ name: String) -> String { path + "/" + name }

  package func createOutput(_ name: String) throws -> any IndexOutput {
    let full = _full(name)
    let fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    if fd < 0 { throw IndexError._errno(full, "cannot create") }
    return _FileOutput(name: name, path: full, fd: fd)
  }

  package func openInput(_ name: String) throws -> FileBytes {
    let full = _full(name)
    let fd = open(full, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw IndexError._errno(full, "cannot open") }
    defer { close(fd) }
    var st = stat()
    if fstat(fd, &st) != 0 { throw IndexError._errno(full, "cannot stat") }
    let size = Int(st.st_size)
    if size == 0 { return FileBytes(name: name, copying: []) }
    guard let base = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else {
      throw IndexError._errno(full, "cannot map")
    }
    return FileBytes(
      name: name, bytes: UnsafeRawBufferPointer(start: base, count: size),
      release: { b in munmap(UnsafeMutableRawPointer(mutating: b.baseAddress), b.count) })
  }

  package func listAll() throws -> [String] {
    guard let d = opendir(path) else { throw IndexError._errno(path, "cannot list") }
    defer { closedir(d) }
    var names: [String] = []
    while let entry = readdir(d) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name == "." || name == ".." { continue }
      names.append(name)
    }
    return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }

  package func fileExists(_ name: String) -> Bool {
    var st = stat()
    return stat(_full(name), &st) == 0
  }

  package func fileLength(_ name: String) throws -> Int {
    var st = stat()
    if stat(_full(name), &st) != 0 { throw IndexError._errno(_full(name), "cannot stat") }
    return Int(st.st_size)
  }

  package func delete(_ name: String) throws {
    if unlink(_full(name)) != 0 { throw IndexError._errno(_full(name), "cannot delete") }
  }

  package func rename(_ from: String, to: String) throws {
    if Glibc.rename(_full(from), _full(to)) != 0 {
      throw IndexError._errno(_full(from), "cannot rename to \(to)")
    }
  }

  package func sync(_ names: [String]) throws {
    for name in names {
      let full = _full(name)
      let fd = open(full, O_RDONLY | O_CLOEXEC)
      if fd < 0 { throw IndexError._errno(full, "cannot open to sync") }
      defer { close(fd) }
      if fsync(fd) != 0 { throw IndexError._errno(full, "fsync failed") }
    }
  }

  package func syncDirectory() throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd < 0 { throw IndexError._errno(path, "cannot open folder to sync") }
    defer { close(fd) }
    if fsync(fd) != 0 { throw IndexError._errno(path, "fsync of folder failed") }
  }
}

/// A file open for writing; each `write` is one or more `write(2)` calls (callers buffer).
final class _FileOutput: IndexOutput {
  let name: String
  let path: String
  private var fd: Int32

  init(name: String, path: String, fd: Int32) {
    self.name = name
    self.path = path
    self.fd = fd
  }

  deinit { if fd >= 0 { Glibc.close(fd) } }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard fd >= 0 else { throw IndexError.io(path: path, message: "write after close") }
    var done = 0
    while done < bytes.count {
      let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
      if n < 0 {
        if errno == EINTR { continue }
        throw IndexError._errno(path, "write failed")
      }
      done += n
    }
  }

  func close() throws {
    guard fd >= 0 else { return }
    let r = Glibc.close(fd)
    fd = -1
    if r != 0 { throw IndexError._errno(path, "close failed") }
  }
}
