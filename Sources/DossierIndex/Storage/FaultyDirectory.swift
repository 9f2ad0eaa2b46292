import Synchronization

/// A `Directory` wrapper that fails the Nth operation of one kind, for crash tests.
///
/// Count first with `failAt: nil`, then loop over every N: each run fails at a different write,
/// sync or rename, after which (by default) every later operation fails too, as if the process
/// had died. A failing write first writes half of its bytes (a torn write).
///
///     let faulty = FaultyDirectory(base, failing: .sync, at: 3)
///     // ... run a commit on `faulty`; it throws IndexError.io(..., "injected ...")
///     faulty.count(of: .write)   // operations seen so far
///
/// Cost: one lock per operation.
package final class FaultyDirectory: Directory {
  /// The kinds of operation that can be made to fail.
  package enum Operation: String, Sendable, CaseIterable {
    case create, write, close, sync, syncDirectory, rename, delete
  }

  private struct _State {
    var counts: [Operation: Int] = [:]
    var failed = false
  }

  /// The wrapped directory.
  package let base: any Directory
  /// The operation kind that fails, and at which 1-based occurrence.
  package let failing: Operation?
  package let failAt: Int
  /// Whether every operation after the injected failure fails too.
  package let sticky: Bool
  private let state = Mutex(_State())

  /// Wraps `base`; the `at`-th (1-based) operation of kind `failing` throws.
  package init(_ base: any Directory, failing: Operation? = nil, at: Int = 0, sticky: Bool = true) {
    self.base = base
    self.failing = failing
    self.failAt = at
    self.sticky = sticky
  }

  /// How many operations of kind `op` were attempted.
  package func count(of op: Operation) -> Int { state.withLock { $0.counts[op, default: 0] } }

  /// Whether the injected failure has happened.
  package var hasFailed: Bool { state.withLock { $0.failed } }

  /// Counts `op` and throws if it is the one to fail (or one after it, when sticky).
  func _check(_ op: Operation, _ name: String) throws -> Bool {
    let fail = state.withLock { s -> Bool in
      s.counts[op, default: 0] += 1
      if s.failed && sticky { return true }
      if op == failing && s.counts[op] == failAt {
        s.failed = true
        return true
      }
      return false
    }
    return fail
  }

  static func _injected(_ op: Operation, _ name: String) -> IndexError {
    .io(path: name, message: "injected failure of \(op.rawValue)")
  }

  package func createOutput(_ name: String) throws -> any IndexOutput {
    if try _check(.create, name) { throw Self._injected(.create, name) }
    return _FaultyOutput(base: try base.createOutput(name), directory: self)
  }
  package func openInput(_ name: String) throws -> FileBytes { try base.openInput(name) }
  package func listAll() throws -> [String] { try base.listAll() }
  package func fileExists(_ name: String) -> Bool { base.fileExists(name) }
  package func fileLength(_ name: String) throws -> Int { try base.fileLength(name) }
  package func delete(_ name: String) throws {
    if try _check(.delete, name) { throw Self._injected(.delete, name) }
    try base.delete(name)
  }
  package func rename(_ from: String, to: String) throws {
    if try _check(.rename, from) { throw Self._injected(.rename, from) }
    try base.rename(from, to: to)
  }
  package func sync(_ names: [String]) throws {
    for name in names {
      if try _check(.sync, name) { throw Self._injected(.sync, name) }
      try base.sync([name])
    }
  }
  package func syncDirectory() throws {
    if try _check(.syncDirectory, "") { throw Self._injected(.syncDirectory, "(folder)") }
    try base.syncDirectory()
  }
}

final class _FaultyOutput: IndexOutput {
  let base: any IndexOutput
  let directory: FaultyDirectory
  init(base: any IndexOutput, directory: FaultyDirectory) {
    self.base = base
    self.directory = directory
  }
  var name: String { base.name }
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    if try directory._check(.write, name) {
      try base.write(UnsafeRawBufferPointer(rebasing: bytes[0..<bytes.count / 2]))
      throw FaultyDirectory._injected(.write, name)
    }
    try base.write(bytes)
  }
  func close() throws {
    if try directory._check(.close, name) {
      try base.close()
      throw FaultyDirectory._injected(.close, name)
    }
    try base.close()
  }
}
