import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one-writer-at-a-time lock of an index, held while an `IndexWriter` is open.
///
/// On disk it is an advisory `flock` on `write.lock` in the index folder: the kernel releases
/// it when the process ends, however it ends (kill -9 included), so a crashed writer never
/// leaves the index locked. Readers never take it. In memory (tests) it is a flag per
/// `MemoryDirectory`.
///
///     let lock = try WriterLock.acquire(directory, wait: false)   // throws IndexError.busy
///     defer { lock.release() }
package final class WriterLock: @unchecked Sendable {
  package static let fileName = "write.lock"
  private let releaseBody: () -> Void
  private let released = Mutex(false)

  init(release: @escaping () -> Void) { releaseBody = release }

  deinit { release() }

  /// Releases the lock (also done when the lock object dies).
  package func release() {
    let first = released.withLock { r -> Bool in
      defer { r = true }
      return !r
    }
    if first { releaseBody() }
  }

  /// Takes the lock of `directory`'s index. With `wait`, blocks until the other writer is done;
  /// without, throws `IndexError.busy` at once.
  package static func acquire(_ directory: any Directory, wait: Bool) throws -> WriterLock {
    if let faulty = directory as? FaultyDirectory { return try acquire(faulty.base, wait: wait) }
    if let files = directory as? FileDirectory {
      return try acquireFile(files.path + "/" + fileName, wait: wait)
    }
    if let memory = directory as? MemoryDirectory { return try memory._acquireWriterLock(wait: wait) }
    preconditionFailure("no writer lock for \(type(of: directory))")
  }

  static func acquireFile(_ path: String, wait: Bool) throws -> WriterLock {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    if fd < 0 { throw IndexError._errno(path, "cannot open the lock file") }
    while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
      let code = errno
      if code == EINTR { continue }
      close(fd)
      if code == EWOULDBLOCK { throw IndexError.busy(path: path) }
      errno = code
      throw IndexError._errno(path, "cannot lock")
    }
    // The holder's process id, for people looking at a busy index.
    let pid = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    return WriterLock {
      _ = flock(fd, LOCK_UN)
      close(fd)
    }
  }
}

extension MemoryDirectory {
  func _acquireWriterLock(wait: Bool) throws -> WriterLock {
    while true {
      let taken = _writerLocked.withLock { locked -> Bool in
        if locked { return false }
        locked = true
        return true
      }
      if taken { break }
      if !wait { throw IndexError.busy(path: WriterLock.fileName) }
      usleep(1000)
    }
    return WriterLock { [self] in _writerLocked.withLock { $0 = false } }
  }
}
