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
  var keyArena: [UInt8] = []
  var keyStarts: [UInt32] = [0]
  var hashes: [UInt32] = []
  var table: [Int32] = [Int32](repeating: -1, count: 1024)
  var mask = 1023

  var head: [UInt32] = []
  var write: [UInt32] = []
  var sliceEnd: [UInt32] = []
  var level: [UInt8] = []
  var lastDoc: [UInt32] = []
  var curFreq: [UInt32] = []
  var scratch: [UInt32] = []
  var pool: [UInt8] = []

  static let sliceSizes: [UInt32] = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768]

  var count: Int { hashes.count }

  var ramBytesUsed: Int {
    keyArena.capacity + keyStarts.capacity * 4 + hashes.capacity * 4 + table.capacity * 4
      + (head.capacity + write.capacity + sliceEnd.capacity + lastDoc.capacity + curFreq.capacity
        + scratch.capacity) * 4 + level.capacity + pool.capacity
  }

  @inline(__always)
  static func hash(_ field: UInt8, _ p: UnsafeRawPointer?, _ n: Int) -> UInt64 {
    var h: UInt64 = (0x9E37_79B9_7F4A_7C15 ^ UInt64(n)) &* (UInt64(field) &+ 0xFF51_AFD7_ED55_8CCD)
    var i = 0
    if let p {
      while i + 8 <= n {
        h = (h ^ UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* 0x9FB2_1C65_1E98_DF25
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
    var slot = Int(truncatingIfNeeded: h) & mask
    while true {
      let t = Int(table[slot])
      if t < 0 { break }
      if hashes[t] == h32 {
        let s = Int(keyStarts[t])
        let e = Int(keyStarts[t + 1])
        if e - s == n + 1 && keyArena[s] == field {
          let equal = keyArena.withUnsafeBytes { a in
            n == 0 || memcmp(a.baseAddress! + s + 1, term.baseAddress!, n) == 0
          }
          if equal { return t }
        }
      }
      slot = (slot + 1) & mask
    }
    let t = hashes.count
    table[slot] = Int32(t)
    hashes.append(h32)
    keyArena.append(field)
    keyArena.append(contentsOf: term)
    keyStarts.append(UInt32(keyArena.count))
    let start = _newSlice(0)
    head.append(start)
    write.append(start)
    sliceEnd.append(start + Self.sliceSizes[0])
    level.append(0)
    lastDoc.append(0)
    curFreq.append(0)
    scratch.append(0)
    if hashes.count * 2 > mask { _grow() }
    return t
  }

  private mutating func _grow() {
    let size = (mask + 1) * 2
    table = [Int32](repeating: -1, count: size)
    mask = size - 1
    for t in 0..<hashes.count {
      // Re-hash from the stored 32 bits is not enough for a larger table: recompute.
      let s = Int(keyStarts[t])
      let e = Int(keyStarts[t + 1])
      let h = keyArena.withUnsafeBytes { a in Self.hash(a[s], a.baseAddress! + s + 1, e - s - 1) }
      var slot = Int(truncatingIfNeeded: h) & mask
      while table[slot] >= 0 { slot = (slot + 1) & mask }
      table[slot] = Int32(t)
    }
  }

  private mutating func _newSlice(_ level: Int) -> UInt32 {
    let start = UInt32(pool.count)
    pool.append(contentsOf: repeatElement(0, count: Int(Self.sliceSizes[level])))
    return start
  }

  @inline(__always)
  mutating func appendByte(_ t: Int, _ b: UInt8) {
    var w = write[t]
    if w == sliceEnd[t] - 4 {
      let l = min(Int(level[t]) + 1, Self.sliceSizes.count - 1)
      let next = _newSlice(l)
      withUnsafeBytes(of: next.littleEndian) { src in
        for i in 0..<4 { pool[Int(w) + i] = src[i] }
      }
      level[t] = UInt8(l)
      sliceEnd[t] = next + Self.sliceSizes[l]
      w = next
    }
    pool[Int(w)] = b
    write[t] = w + 1
  }

  @inline(__always)
  mutating func appendVInt(_ t: Int, _ value: UInt32) {
    var v = value
    while v >= 0x80 {
      appendByte(t, UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    appendByte(t, UInt8(v))
  }

  /// Calls `body` with each byte of term `t`'s stream, in order.
  func readStream(_ t: Int, _ body: (UInt8) -> Void) {
    pool.withUnsafeBytes { p in
      var pos = Int(head[t])
      var lvl = 0
      var end = pos + Int(Self.sliceSizes[0]) - 4
      let stop = Int(write[t])
      while pos != stop {
        if pos == end {
          pos = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: pos, as: UInt32.self)))
          lvl = min(lvl + 1, Self.sliceSizes.count - 1)
          end = pos + Int(Self.sliceSizes[lvl]) - 4
          continue
        }
        body(p[pos])
        pos += 1
      }
    }
  }

  /// Term ids sorted by key bytes.
  func sortedTermIDs() -> [Int] {
    var ids = Array(0..<count)
    keyArena.withUnsafeBytes { a in
      keyStarts.withUnsafeBufferPointer { ks in
        ids.sort { x, y in
          let xs = Int(ks[x])
          let xe = Int(ks[x + 1])
          let ys = Int(ks[y])
          let ye = Int(ks[y + 1])
          let n = min(xe - xs, ye - ys)
          let c = memcmp(a.baseAddress! + xs, a.baseAddress! + ys, n)
          return c != 0 ? c < 0 : xe - xs < ye - ys
        }
      }
    }
    return ids
  }
}
