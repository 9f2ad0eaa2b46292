/// One competitive (frequency, field length) pair of a block of postings: every document of
/// the block has, for some pair of its list, a frequency at most `freq` and a length at least
/// `length` (Lucene's "impacts").
///
/// BM25 and BM25F grow with the frequency and shrink with the length, for any k1 and b, so the
/// best score of a block is the best score over its few pairs: far tighter than pairing the
/// block's largest frequency with its smallest length, which usually belong to different
/// documents (a long page that repeats the word, a short one that has it once).
///
///     let list = _Impact.frontier([.init(freq: 3, length: 90), .init(freq: 1, length: 8),
///                                  .init(freq: 2, length: 95)])
///     // [(1, 8), (3, 90)]: (2, 95) is dominated by (3, 90)
///
/// Grammar (in the `.doc` skip data):
///
///     ImpactList := Count:u8 Impact^Count              Count 1…maxCount
///     Impact     := FreqDelta:vint LengthDelta:vint    from the previous pair (the first from (0, 0))
///
/// Pairs are in increasing frequency and increasing length, so both deltas are positive after
/// the first pair. Cost: `frontier` sorts its input, O(n log n).
package struct _Impact: Hashable, Sendable {
  package var freq: UInt32
  package var length: UInt32

  package init(freq: UInt32, length: UInt32) {
    self.freq = freq
    self.length = length
  }

  /// Lists longer than this are coarsened (see `frontier`).
  package static let maxCount = 8

  /// The pairs no other pair dominates (higher or equal frequency with lower or equal length),
  /// in increasing frequency and length; when there are more than `maxCount`, consecutive runs
  /// are merged into one pair of the run's largest frequency and smallest length, which still
  /// bounds every document of the run.
  package static func frontier(_ pairs: [_Impact]) -> [_Impact] {
    // Highest frequency first (then shortest): keep a pair when it is shorter than every pair
    // with a higher frequency.
    var kept: [_Impact] = []
    var maxFreq: UInt32 = 0
    for p in pairs { maxFreq = max(maxFreq, p.freq) }
    if maxFreq < 64 {
      // Small frequencies (nearly all blocks): the shortest length per frequency, no sort.
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { shortestOf in
        shortestOf.initialize(repeating: .max)
        for p in pairs where p.length < shortestOf[Int(p.freq)] { shortestOf[Int(p.freq)] = p.length }
        var shortest = UInt32.max
        var f = Int(maxFreq)
        while f >= 0 {
          if shortestOf[f] < shortest {
            kept.append(_Impact(freq: UInt32(f), length: shortestOf[f]))
            shortest = shortestOf[f]
          }
          f -= 1
        }
      }
    } else {
      // Sorted as integers (complemented frequency, length): no comparison closure.
      var keys = pairs.map { UInt64(~$0.freq) << 32 | UInt64($0.length) }
      keys.sort()
      var shortest = UInt32.max
      for key in keys where UInt32(truncatingIfNeeded: key) < shortest {
        let p = _Impact(freq: ~UInt32(truncatingIfNeeded: key >> 32), length: UInt32(truncatingIfNeeded: key))
        kept.append(p)
        shortest = p.length
      }
    }
    kept.reverse()
    guard kept.count > maxCount else { return kept }
    var merged: [_Impact] = []
    for g in 0..<maxCount {
      let from = g * kept.count / maxCount
      let to = (g + 1) * kept.count / maxCount
      merged.append(_Impact(freq: kept[to - 1].freq, length: kept[from].length))
    }
    return merged
  }

  /// Appends `list` (from `frontier`: 1…maxCount pairs, increasing) as an `ImpactList`.
  package static func write(_ list: [_Impact], into out: inout _ByteBuffer) {
    precondition(!list.isEmpty && list.count <= maxCount)
    out.u8(UInt8(list.count))
    var previous = _Impact(freq: 0, length: 0)
    for p in list {
      out.vint(p.freq - previous.freq)
      out.vint(p.length &- previous.length)
      previous = p
    }
  }

  /// Calls `body` with each pair of the `ImpactList` at `offset` of `data`; false when the list
  /// is damaged (out of bounds, empty, too long, or not increasing).
  @inline(__always)
  package static func read(
    _ data: UnsafeRawBufferPointer, at offset: Int, _ body: (UInt32, UInt32) -> Void
  ) -> Bool {
    guard offset >= 0, offset < data.count else { return false }
    let count = Int(data[offset])
    guard count >= 1, count <= maxCount else { return false }
    var pos = offset + 1
    var freq: UInt64 = 0
    var length: UInt64 = 0
    for i in 0..<count {
      guard let df = _readVInt(data, &pos), let dl = _readVInt(data, &pos) else { return false }
      guard i == 0 || (df > 0 && dl > 0) else { return false }
      freq += df
      length += dl
      guard freq <= UInt32.max, length <= UInt32.max, freq > 0 else { return false }
      body(UInt32(freq), UInt32(length))
    }
    return true
  }
}
