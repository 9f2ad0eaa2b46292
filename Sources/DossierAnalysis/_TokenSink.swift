/// A growable buffer of trivial values behind a pointer: appending costs a capacity check and a
/// store, with no uniqueness check (the owner guarantees there is one user). The owner frees it
/// with `deallocate()`.
struct _RawBuffer<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int = 256) {
    self.capacity = capacity
    base = .allocate(capacity: capacity)
  }

  func deallocate() { base.deallocate() }

  /// The values appended so far.
  var values: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

  @inline(__always)
  mutating func append(_ value: Element) {
    if count == capacity { grow(to: count + 1) }
    (base + count).initialize(to: value)
    count += 1
  }

  @inline(__always)
  mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
    if count + values.count > capacity { grow(to: count + values.count) }
    if let source = values.baseAddress { (base + count).initialize(from: source, count: values.count) }
    count += values.count
  }

  /// Forgets the values, keeping the memory.
  mutating func removeAll() { count = 0 }

  private mutating func grow(to minimum: Int) {
    let newCapacity = max(minimum, capacity * 2)
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    newBase.moveInitialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }
}

/// The tokens of one `AnalysisSession.analyze` call, gathered in buffers the session keeps, then
/// appended to the caller's `AnalyzedText` one array at a time. Appending to the text's arrays
/// token by token paid a uniqueness and a capacity check per array per token: about a fifth of
/// the analysis of the Debian text. Cost: O(tokens) appends of a store each, plus one copy.
struct _TokenSink {
  var bytes = _RawBuffer<UInt8>(capacity: 4096)
  /// End of each token's term in `bytes`.
  var ends = _RawBuffer<UInt32>()
  var positions = _RawBuffer<UInt32>()
  var entries = _RawBuffer<UInt32>()
  var starts = _RawBuffer<UInt32>()
  var endOffsets = _RawBuffer<UInt32>()
  var kinds = _RawBuffer<TokenKind>()
  var runs: [EntryRun] = []
  var stopwords = 0
  var recordsOffsets = false
  var recordsEntries = false
  /// The epoch of the entries last appended (0: none yet), across calls into one text.
  var lastEpoch: UInt64 = 0

  func deallocate() {
    bytes.deallocate()
    ends.deallocate()
    positions.deallocate()
    entries.deallocate()
    starts.deallocate()
    endOffsets.deallocate()
    kinds.deallocate()
  }

  /// Empties the sink for tokens that will go to `out`.
  mutating func begin(for out: AnalyzedText) {
    bytes.removeAll()
    ends.removeAll()
    positions.removeAll()
    entries.removeAll()
    starts.removeAll()
    endOffsets.removeAll()
    kinds.removeAll()
    runs.removeAll(keepingCapacity: true)
    stopwords = 0
    recordsOffsets = out.recordsOffsets
    recordsEntries = out.recordsEntries
    lastEpoch = out.entryRuns.last?.epoch ?? 0
  }

  @inline(__always)
  mutating func append(
    _ term: UnsafeBufferPointer<UInt8>, position: UInt32, start: Int, end: Int, kind: TokenKind,
    entry: Int = -1, epoch: UInt64 = 0
  ) {
    if recordsEntries {
      if entry < 0 {
        entries.append(UInt32.max)
      } else {
        if epoch != lastEpoch {
          runs.append(EntryRun(start: positions.count, epoch: epoch))
          lastEpoch = epoch
        }
        entries.append(UInt32(entry))
      }
    }
    bytes.append(contentsOf: term)
    ends.append(UInt32(bytes.count))
    positions.append(position)
    if recordsOffsets {
      starts.append(UInt32(start))
      endOffsets.append(UInt32(end))
      kinds.append(kind)
    }
  }

  /// Appends the gathered tokens to `out`.
  func flush(into out: inout AnalyzedText) {
    let count = positions.count
    out.stopwordCount += stopwords
    guard count > 0 else { return }
    let base = UInt32(out.termBytes.count)
    out.termBytes.append(contentsOf: bytes.values)
    if base != 0 {
      for i in 0..<count { ends.base[i] += base }
    }
    out.termEnds.append(contentsOf: ends.values)
    out.positions.append(contentsOf: positions.values)
    if recordsEntries {
      let first = out.termEntries.count
      for run in runs { out.entryRuns.append(EntryRun(start: first + run.start, epoch: run.epoch)) }
      out.termEntries.append(contentsOf: entries.values)
    }
    if recordsOffsets {
      out.startOffsets.append(contentsOf: starts.values)
      out.endOffsets.append(contentsOf: endOffsets.values)
      out.kinds.append(contentsOf: kinds.values)
    }
  }
}
