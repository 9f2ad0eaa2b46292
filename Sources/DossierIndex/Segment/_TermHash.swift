import CPrefetch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The in-memory postings of a segment being built: a hash map from key bytes (field byte +
/// term bytes) to a term id, and per term a chain of byte slices in one pool holding its
/// postings as delta-encoded varints.
///
/// Per term stream: `DocDelta:vint [Freq:vint [PosDelta:vint^Freq]]` per document, the parts in
/// brackets as the field has them. Slices grow 16, 32, ... 32768 bytes; the last 4 bytes of a
/// full slice hold the offset of the next.
///
/// Memory: about 40 bytes a term plus the key bytes, plus 1-2 bytes a posting and position;
/// `ramBytesUsed` counts all of it (array capacities).
struct _TermHash {
  /// Per-term state, one struct per term (one array access per update).
  struct _Term {
    var head: UInt32  // first byte of the stream in the pool
    var write: UInt32  // next byte to write
    var sliceEnd: UInt32  // end of the current slice (its last 4 bytes hold the forward link)
    var lastDoc: UInt32  // last doc with a posting (valid when write != head)
    var curFreq: UInt32  // occurrences in the document being added
    var scratch: UInt32  // per-document scratch (position slice offset)
    var level: UInt8
  }

  var keyArena: [UInt8] = []
  var keyStarts: [UInt32] = [0]
  var terms: [_Term] = []
  /// Open addressing: each slot is `hash32 << 32 | termID`, or `emptySlot`; comparing the
  /// stored hash first avoids touching the term's key on most probes.
  var table: [UInt64] = [UInt64](repeating: _TermHash.emptySlot, count: 1024)
  static let emptySlot = UInt64.max
  var mask = 1023
  var pool = _BytePool()
  // Per-document scratch.
  /// Per-document scratch: the terms a text touches, in order of first sight, and each token's
  /// term (-1: skipped). Behind pointers (no array checks per token); see `_TokenScratch`.
  let scratch = _TokenScratch()
  /// Per (analyzer cache epoch, field): cache entry -> term id (−1: not looked up yet), so a
  /// token whose entry was seen before in the epoch costs one load of a small array instead
  /// of a hash probe and a key comparison in `table` (see `TokenBuffer.entries`). A pure
  /// cache: dropped when more than `maxEntryMaps` are kept.
  var entryMaps: [UInt64: [Int32]] = [:]
  static let maxEntryMaps = 16
  /// How many tokens ahead `addText` prefetches.
  static let prefetchDistance = 8
  var posScratch: [UInt32] = []

  /// Slice sizes by level: small first (most terms are rare), growing slowly (little waste in
  /// the last slice), capped at 1 KB (a 4-byte link per KB of frequent terms).
  static let sliceSizes: [UInt32] = [8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024]

  var count: Int { terms.count }

  /// Terms longer than this many bytes are not indexed (counted in `skippedLongTerms`): no
  /// query would type them, and the dictionary keeps keys short.
  static let maxTermLength = 16_384
  /// Tokens and keyword values skipped for being longer than `maxTermLength`.
  var skippedLongTerms = 0

  var ramBytesUsed: Int {
    keyArena.capacity + keyStarts.capacity * 4 + table.capacity * 8 + terms.capacity
      * MemoryLayout<_Term>.stride + entryMaps.values.reduce(0) { $0 + $1.capacity * 4 }
      + pool.capacity + scratch.capacity * 8 + posScratch.capacity * 4
  }

  @inline(__always)
  static func hash(_ field: UInt8, _ p: UnsafeRawPointer?, _ n: Int) -> UInt64 {
    var h: UInt64 = (0x9E37_79B9_7F4A_7C15 ^ UInt64(n)) &* (UInt64(field) &+ 0xFF51_AFD7_ED55_8CCD)
    var i = 0
    if let p {
      while i + 8 <= n {
        h =
          (h ^ UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
          &* 0x9FB2_1C65_1E98_DF25
        h ^= h >> 32
        i += 8
      }
      if i < n {
        var t: UInt64 = 0
        var j = n - 1
        while j >= i {
          t = t << 8 | UInt64(p.load(fromByteOffset: j, as: UInt8.self))
          j -= 1
        }
        h = (h ^ t) &* 0x9FB2_1C65_1E98_DF25
      }
    }
    h ^= h >> 33
    h &*= 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 29
    return h
  }

  /// The id of key (field, bytes), adding it if new.
  @inline(__always)
  mutating func intern(_ field: UInt8, _ term: UnsafeRawBufferPointer) -> Int {
    let n = term.count
    let h = Self.hash(field, term.baseAddress, n)
    let h32 = UInt32(truncatingIfNeeded: h)
    var slot = Int(truncatingIfNeeded: h >> 32) & mask
    while true {
      let entry = table[slot]
      if entry == Self.emptySlot { break }
      if UInt32(truncatingIfNeeded: entry >> 32) == h32 {
        let t = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
        let s = Int(keyStarts[t])
        let e = Int(keyStarts[t + 1])
        if e - s == n + 1 {
          let equal = keyArena.withUnsafeBytes { a in
            a[s] == field && (n == 0 || memcmp(a.baseAddress! + s + 1, term.baseAddress!, n) == 0)
          }
          if equal { return t }
        }
      }
      slot = (slot + 1) & mask
    }
    let t = terms.count
    table[slot] = UInt64(h32) << 32 | UInt64(t)
    keyArena.append(field)
    keyArena.append(contentsOf: term)
    keyStarts.append(UInt32(keyArena.count))
    let start = _newSlice(0)
    terms.append(
      _Term(
        head: start, write: start, sliceEnd: start + Self.sliceSizes[0], lastDoc: 0, curFreq: 0, scratch: 0,
        level: 0))
    if terms.count * 2 > mask { _grow() }
    return t
  }

  private mutating func _grow() {
    let size = (mask + 1) * 2
    table = [UInt64](repeating: Self.emptySlot, count: size)
    mask = size - 1
    for t in 0..<terms.count {
      let s = Int(keyStarts[t])
      let e = Int(keyStarts[t + 1])
      let h = keyArena.withUnsafeBytes { a in Self.hash(a[s], a.baseAddress! + s + 1, e - s - 1) }
      var slot = Int(truncatingIfNeeded: h >> 32) & mask
      while table[slot] != Self.emptySlot { slot = (slot + 1) & mask }
      table[slot] = UInt64(UInt32(truncatingIfNeeded: h)) << 32 | UInt64(t)
    }
  }

  private mutating func _newSlice(_ level: Int) -> UInt32 {
    pool.allocate(Self.sliceSizes[level])
  }

  /// Appends `value` as a varint to the stream of `term` (a local copy the caller stores
  /// back once), growing it into a new slice when the current one is full.
  @inline(__always)
  static func _appendVInt(_ term: inout _Term, _ value: UInt32, _ pool: _BytePool) {
    var v = value
    while true {
      if term.write == term.sliceEnd - 4 {
        let l = min(Int(term.level) + 1, sliceSizes.count - 1)
        let next = pool.allocate(sliceSizes[l])
        pool.storeLink(at: term.write, next)
        term.level = UInt8(l)
        term.sliceEnd = next + sliceSizes[l]
        term.write = next
      }
      if v < 0x80 {
        pool.store(at: term.write, UInt8(v))
        term.write += 1
        return
      }
      pool.store(at: term.write, UInt8(truncatingIfNeeded: v) | 0x80)
      term.write += 1
      v >>= 7
    }
  }

  /// Adds the tokens of one text field of document `doc`: one posting per distinct term, with
  /// its positions. O(tokens).
  mutating func addText(_ field: FieldInfo, _ tokens: TokenBuffer, doc id: UInt32) {
    let n = tokens.count
    scratch.reserve(n)
    let tokenTerms = scratch.tokenTerms
    let touchedTerms = scratch.touched
    var touchedCount = 0
    // The term ids of each epoch's cache entries, moved out of the dictionary while in use
    // (a text has one run of entries per epoch; usually one).
    let useEntries = !tokens.entryRuns.isEmpty && tokens.entries.count == n
    let runs = tokens.entryRuns
    var runIndex = 0
    var nextRun = useEntries ? runs[0].start : Int.max
    var mapKey: UInt64 = 0
    var map: [Int32] = []
    var holdsMap = false
    // Pass 1: intern every token and count per term.
    tokens.bytes.withUnsafeBytes { bytes in
      tokens.ends.withUnsafeBufferPointer { ends in
        var start = 0
        for i in 0..<n {
          if i == nextRun {
            if holdsMap { entryMaps[mapKey] = map }
            mapKey = runs[runIndex].epoch &<< 8 | UInt64(field.number)
            map = entryMaps.removeValue(forKey: mapKey) ?? []
            if entryMaps.count >= Self.maxEntryMaps { entryMaps.removeAll() }
            holdsMap = true
            runIndex += 1
            nextRun = runIndex < runs.count ? runs[runIndex].start : Int.max
          }
          // Fetch ahead what a later token of this run will touch: its term's state when the
          // map knows it, else its first slot of `table` (the big structures miss the caches).
          let ahead = i + Self.prefetchDistance
          if ahead < n && ahead < nextRun {
            let e = useEntries ? Int(tokens.entries[ahead]) : Int(UInt32.max)
            if e != Int(UInt32.max) && e < map.count && map[e] >= 0 {
              terms.withUnsafeBufferPointer { dossier_prefetch($0.baseAddress! + Int(map[e])) }
            } else {
              let s = Int(ends[ahead - 1])
              let h = Self.hash(field.number, bytes.baseAddress.map { $0 + s }, Int(ends[ahead]) - s)
              table.withUnsafeBufferPointer {
                dossier_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: h >> 32) & mask))
              }
            }
          }
          let end = Int(ends[i])
          if end - start > Self.maxTermLength {
            tokenTerms[i] = -1
            skippedLongTerms += 1
            start = end
            continue
          }
          let t: Int
          let entry = useEntries ? Int(tokens.entries[i]) : Int(UInt32.max)
          if entry != Int(UInt32.max) {
            if entry >= map.count { map.append(contentsOf: repeatElement(-1, count: entry + 1 - map.count)) }
            if map[entry] >= 0 {
              t = Int(map[entry])
            } else {
              t = intern(field.number, UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
              map[entry] = Int32(t)
            }
          } else {
            t = intern(field.number, UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
          }
          start = end
          // Written always, kept when the term is new to the text: no branch to mispredict.
          touchedTerms[touchedCount] = Int32(t)
          touchedCount += terms[t].curFreq == 0 ? 1 : 0
          terms[t].curFreq += 1
          tokenTerms[i] = Int32(t)
        }
      }
    }
    if holdsMap { entryMaps[mapKey] = map }
    let touched = UnsafeBufferPointer(start: touchedTerms, count: touchedCount)
    // Pass 2: each touched term's slice of the position scratch, then scatter positions.
    var offset: UInt32 = 0
    for t in touched {
      terms[Int(t)].scratch = offset
      offset += terms[Int(t)].curFreq
    }
    if field.hasPositions {
      if posScratch.count < n { posScratch = [UInt32](repeating: 0, count: max(n, posScratch.count * 2)) }
      tokens.positions.withUnsafeBufferPointer { positions in
        for i in 0..<n {
          let t = Int(tokenTerms[i])
          if t < 0 { continue }
          posScratch[Int(terms[t].scratch)] = positions[i]
          terms[t].scratch += 1
        }
      }
    }
    // Pass 3: append one posting per touched term.
    let pool = self.pool
    for tt in touched {
      let t = Int(tt)
      var term = terms[t]
      let freq = term.curFreq
      let delta = term.head == term.write ? id : id - term.lastDoc
      Self._appendVInt(&term, delta, pool)
      Self._appendVInt(&term, freq, pool)
      if field.hasPositions {
        let end = Int(term.scratch)
        let start = end - Int(freq)
        var sorted = true
        var j = start + 1
        while j < end {
          if posScratch[j] < posScratch[j - 1] { sorted = false }
          j += 1
        }
        if !sorted { posScratch[start..<end].sort() }
        var last: UInt32 = 0
        for j in start..<end {
          let p = posScratch[j]
          Self._appendVInt(&term, p - last, pool)
          last = p
        }
      }
      term.lastDoc = id
      term.curFreq = 0
      terms[t] = term
    }
  }

  /// Adds the values of one keyword field of document `doc` (duplicates count once); returns
  /// the number of distinct values.
  mutating func addKeywords(_ field: FieldNumber, _ values: [[UInt8]], doc id: UInt32) -> Int {
    var distinct = 0
    for value in values {
      if value.count > Self.maxTermLength {
        skippedLongTerms += 1
        continue
      }
      let t = value.withUnsafeBytes { intern(field, $0) }
      if terms[t].head != terms[t].write && terms[t].lastDoc == id { continue }
      var term = terms[t]
      let delta = term.head == term.write ? id : id - term.lastDoc
      Self._appendVInt(&term, delta, pool)
      term.lastDoc = id
      terms[t] = term
      distinct += 1
    }
    return distinct
  }

  /// Decodes term `t`'s stream into `docs`, `freqs` and `positions` (`posStarts[i]` is where
  /// doc i's positions start; one more entry at the end). O(stream bytes).
  func decode(
    _ t: Int, hasFreqs: Bool, hasPositions: Bool, docs: inout [UInt32], freqs: inout [UInt32],
    positions: inout [UInt32], posStarts: inout [Int]
  ) {
    docs.removeAll(keepingCapacity: true)
    freqs.removeAll(keepingCapacity: true)
    positions.removeAll(keepingCapacity: true)
    posStarts.removeAll(keepingCapacity: true)
    let term = terms[t]
    do {
      let pool = self.pool
      var pos = Int(term.head)
      var lvl = 0
      var end = pos + Int(Self.sliceSizes[0]) - 4
      let stop = Int(term.write)
      @inline(__always) func vint() -> UInt32 {
        var v: UInt32 = 0
        var shift: UInt32 = 0
        while true {
          if pos == end {
            pos = Int(pool.loadLink(at: UInt32(pos)))
            lvl = min(lvl + 1, Self.sliceSizes.count - 1)
            end = pos + Int(Self.sliceSizes[lvl]) - 4
          }
          let b = pool.load(at: UInt32(pos))
          pos += 1
          v |= UInt32(b & 0x7F) << shift
          if b < 0x80 { return v }
          shift += 7
        }
      }
      var doc: UInt32 = 0
      while pos != stop {
        if pos == end {  // a slice is full; its link leads on
          pos = Int(pool.loadLink(at: UInt32(pos)))
          lvl = min(lvl + 1, Self.sliceSizes.count - 1)
          end = pos + Int(Self.sliceSizes[lvl]) - 4
          if pos == stop { break }
        }
        doc = docs.isEmpty ? vint() : doc + vint()
        docs.append(doc)
        let f = hasFreqs ? vint() : 1
        freqs.append(f)
        posStarts.append(positions.count)
        if hasPositions {
          var last: UInt32 = 0
          for _ in 0..<f {
            last += vint()
            positions.append(last)
          }
        }
      }
      posStarts.append(positions.count)
    }
  }

  /// Asks the processor to fetch term `t`'s state (`stage` 0) or the first bytes of its
  /// stream and its key (`stage` 1, after its state arrived) ahead of `decode`.
  @inline(__always)
  func prefetch(_ t: Int, stage: Int) {
    terms.withUnsafeBufferPointer { ts in
      if stage == 0 {
        dossier_prefetch(ts.baseAddress! + t)
        keyStarts.withUnsafeBufferPointer { dossier_prefetch($0.baseAddress! + t) }
      } else {
        dossier_prefetch(pool.pointer(at: ts[t].head))
        keyArena.withUnsafeBufferPointer { dossier_prefetch($0.baseAddress! + Int(keyStarts[t])) }
      }
    }
  }

  /// Term ids sorted by key bytes.
  ///
  /// Sorts (first 8 key bytes as a big-endian integer, id) pairs and compares whole keys only
  /// between equal prefixes: most comparisons then touch no key bytes (the keys lie all over
  /// the arena). O(n log n).
  func sortedTermIDs() -> [Int] {
    struct Item {
      var prefix: UInt64
      var id: Int
    }
    var items: [Item] = []
    items.reserveCapacity(count)
    keyArena.withUnsafeBytes { a in
      keyStarts.withUnsafeBufferPointer { ks in
        for t in 0..<count {
          let s = Int(ks[t])
          let n = min(Int(ks[t + 1]) - s, 8)
          var prefix: UInt64 = 0
          for k in 0..<n { prefix |= UInt64(a[s + k]) << (56 - 8 * UInt64(k)) }
          items.append(Item(prefix: prefix, id: t))
        }
        items.sort { x, y in
          if x.prefix != y.prefix { return x.prefix < y.prefix }
          let xs = Int(ks[x.id])
          let xe = Int(ks[x.id + 1])
          let ys = Int(ks[y.id])
          let ye = Int(ks[y.id + 1])
          let n = min(xe - xs, ye - ys)
          let c = memcmp(a.baseAddress! + xs, a.baseAddress! + ys, n)
          return c != 0 ? c < 0 : xe - xs < ye - ys
        }
      }
    }
    return items.map(\.id)
  }
}

/// Scratch arrays for `_TermHash.addText`, grown to the longest text seen, freed with the
/// segment being built.
final class _TokenScratch {
  private(set) var tokenTerms = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  private(set) var touched = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  private(set) var capacity = 1

  /// Makes room for `n` tokens (the old contents are not kept).
  func reserve(_ n: Int) {
    guard n > capacity else { return }
    tokenTerms.deallocate()
    touched.deallocate()
    capacity = max(n, capacity * 2)
    tokenTerms = .allocate(capacity: capacity)
    touched = .allocate(capacity: capacity)
  }

  deinit {
    tokenTerms.deallocate()
    touched.deallocate()
  }
}

/// Memory for the postings streams: 64 KB chunks that never move (no copying as it grows, no
/// doubling), addressed by a 32-bit offset (chunk << 16 | byte). A slice never crosses chunks.
///
/// Cost: one extra indirection per byte; memory: the bytes used plus under 1 KB per chunk.
final class _BytePool {
  static let chunkBits: UInt32 = 16
  static let chunkSize = 1 << 16
  static let maxChunks = 1 << 16
  /// Chunk base pointers; a `let` so that byte accesses need no exclusivity check. Capacity for
  /// every possible chunk is reserved (address space only: 512 KB, touched as chunks are added).
  private let table: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>>
  private var count = 0
  private var used = _BytePool.chunkSize  // bytes used in the last chunk

  init() { table = .allocate(capacity: Self.maxChunks) }

  deinit {
    for i in 0..<count { table[i].deallocate() }
    table.deallocate()
  }

  /// Bytes held.
  var capacity: Int { count * Self.chunkSize }

  /// A new slice of `size` bytes (at most a chunk); returns its address.
  func allocate(_ size: UInt32) -> UInt32 {
    let n = Int(size)
    if used + n > Self.chunkSize {
      precondition(count < Self.maxChunks, "postings pool over 4 GB: flush the segment earlier")
      // Not zeroed: only bytes written through `store` are ever read back.
      let c = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.chunkSize)
      (table + count).initialize(to: c)
      count += 1
      used = 0
    }
    let address = UInt32(count - 1) << Self.chunkBits | UInt32(used)
    used += n
    return address
  }

  @inline(__always) func store(at address: UInt32, _ byte: UInt8) {
    table[Int(address >> Self.chunkBits)][Int(address & 0xFFFF)] = byte
  }

  @inline(__always) func pointer(at address: UInt32) -> UnsafeMutablePointer<UInt8> {
    table[Int(address >> Self.chunkBits)] + Int(address & 0xFFFF)
  }

  @inline(__always) func load(at address: UInt32) -> UInt8 {
    table[Int(address >> Self.chunkBits)][Int(address & 0xFFFF)]
  }

  /// Writes the 4-byte link to the next slice at `address` (the last 4 bytes of a slice).
  @inline(__always) func storeLink(at address: UInt32, _ next: UInt32) {
    let p = table[Int(address >> Self.chunkBits)] + Int(address & 0xFFFF)
    UnsafeMutableRawPointer(p).storeBytes(of: next.littleEndian, as: UInt32.self)
  }

  @inline(__always) func loadLink(at address: UInt32) -> UInt32 {
    let p = table[Int(address >> Self.chunkBits)] + Int(address & 0xFFFF)
    return UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
  }
}
