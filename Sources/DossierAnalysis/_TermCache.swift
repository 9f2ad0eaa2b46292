import Synchronization

/// A map from a raw token's bytes to what the analysis chain made of it (a term, or "a
/// stopword"), so that the common words of a text are folded and stemmed once per session.
///
/// Open addressing over a power-of-two slot array; keys and values live in one byte arena.
/// When it holds `limit` entries or its arena passes 8 MiB it starts again empty, which keeps
/// memory bounded on text with endless distinct tokens. Cost: one hash and usually one byte
/// comparison per lookup.
struct _TermCache {
  /// The next epoch number, shared by every cache of the process.
  static let epochs = Atomic<UInt64>(1)

  struct Entry {
    var keyStart: UInt32
    var keyLength: UInt32
    var valueStart: UInt32
    /// `UInt32.max` marks a stopword.
    var valueLength: UInt32
    var hash: UInt32
  }

  static let stopword = UInt32.max
  var slots: [Int32]
  var entries: [Entry] = []
  var arena: [UInt8] = []
  let mask: Int
  let limit: Int
  /// Names the current contents: an entry's index means the same key and value for as long
  /// as the epoch lasts, and a reset starts a new epoch (unique in the process), so the index
  /// writer can remember what it made of an entry (`AnalyzedText.termEntries`).
  private(set) var epoch: UInt64

  init(slotsLog2: Int = 16) {
    slots = Array(repeating: -1, count: 1 << slotsLog2)
    mask = (1 << slotsLog2) - 1
    limit = max(1, (1 << slotsLog2) / 2)
    entries.reserveCapacity(limit)
    epoch = Self.epochs.wrappingAdd(1, ordering: .relaxed).oldValue
  }

  /// Hashes a key with loads of 8, 4 or 1 bytes that may overlap (the last word is read
  /// ending at the key's end), so that a short word costs no loop whose length varies: that
  /// loop's exit was mispredicted about once a word.
  @inline(__always)
  static func hash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt32 {
    let raw = UnsafeRawPointer(p)
    var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(count)
    if count >= 8 {
      var i = 0
      while i + 8 < count {
        h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
        h ^= h >> 29
        i += 8
      }
      h ^= raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    } else if count >= 4 {
      h ^=
        UInt64(raw.loadUnaligned(as: UInt32.self)) << 32
        | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
    } else if count > 0 {
      h ^= UInt64(p[0]) << 16 | UInt64(p[count >> 1]) << 8 | UInt64(p[count - 1])
    }
    h = (h ^ (h >> 32)) &* 0x9E37_79B9_7F4A_7C15
    return UInt32(truncatingIfNeeded: h >> 32)
  }

  /// The index of the key's entry, or -1.
  @inline(__always)
  func find(_ p: UnsafePointer<UInt8>, _ count: Int, hash: UInt32) -> Int {
    var slot = Int(hash) & mask
    return arena.withUnsafeBufferPointer { a in
      while true {
        let index = Int(slots[slot])
        if index < 0 { return -1 }
        let entry = entries[index]
        if entry.hash == hash && Int(entry.keyLength) == count
          && memcmpEqual(a.baseAddress! + Int(entry.keyStart), p, count)
        {
          return index
        }
        slot = (slot + 1) & mask
      }
    }
  }

  /// Whether `count` bytes at `a` and `b` are equal, by loads of 8, 4 or 1 bytes that may
  /// overlap (no loop whose length varies for a short word).
  @inline(__always)
  func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let x = UnsafeRawPointer(a)
    let y = UnsafeRawPointer(b)
    if count >= 8 {
      var i = 0
      while i + 8 < count {
        if x.loadUnaligned(fromByteOffset: i, as: UInt64.self)
          != y.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        {
          return false
        }
        i += 8
      }
      return x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }
    if count >= 4 {
      return (x.loadUnaligned(as: UInt32.self) ^ y.loadUnaligned(as: UInt32.self))
        | (x.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
          ^ y.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) == 0
    }
    if count > 0 {
      return a[0] == b[0] && a[count >> 1] == b[count >> 1] && a[count - 1] == b[count - 1]
    }
    return true
  }

  /// Inserts a key known to be absent; `value` nil marks a stopword. Returns its index.
  @discardableResult
  mutating func insert(_ p: UnsafePointer<UInt8>, _ count: Int, hash: UInt32, value: [UInt8]?) -> Int {
    if entries.count >= limit || arena.count > 8 << 20 {
      for k in slots.indices { slots[k] = -1 }
      entries.removeAll(keepingCapacity: true)
      arena.removeAll(keepingCapacity: true)
      epoch = Self.epochs.wrappingAdd(1, ordering: .relaxed).oldValue
    }
    let keyStart = UInt32(arena.count)
    arena.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
    let valueStart = UInt32(arena.count)
    if let value { arena.append(contentsOf: value) }
    let entry = Entry(
      keyStart: keyStart, keyLength: UInt32(count), valueStart: valueStart,
      valueLength: value.map { UInt32($0.count) } ?? Self.stopword, hash: hash)
    var slot = Int(hash) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = Int32(entries.count)
    entries.append(entry)
    return entries.count - 1
  }
}
