/// Builds one segment in memory from analyzed documents, then writes all its files.
///
/// Doc ids are assigned in the order of `add`. Text tokens are interned into a byte-keyed hash
/// map and appended to per-term varint streams (see `_TermHash`); stored blobs are compressed
/// block by block as they arrive; lengths and numbers go to per-field columns. `flush` sorts the
/// terms by bytes and writes `.doc`, `.pos`, `.dict`, `.store`, `.norm`, `.num` and, last, `.si`.
///
///     let w = SegmentWriter(schema: .standard)
///     var doc = SegmentDocument(schema: .standard)
///     ... fill doc ...; w.add(doc); doc.removeAll()
///     if w.ramBytesUsed > budget { let info = try w.flush(to: dir, name: "seg_1") }
///
/// Cost: `add` is O(tokens) with one hash lookup per token and no allocation once buffers have
/// grown; `flush` is O(terms log terms + postings). Not thread-safe: one writer per thread.
package final class SegmentWriter {
  /// The schema every document follows.
  package let schema: FieldSchema
  private var terms = _TermHash()
  private var lengths: [[UInt32]]
  private var numbers: [[Int64?]]
  private var stats: [FieldStats]
  private let store: _StoredFieldsWriter
  private var touched: [Int32] = []
  private var tokenTerms: [Int32] = []
  private var posScratch: [UInt32] = []
  /// Documents added.
  package private(set) var docCount: UInt32 = 0

  /// A writer for documents of `schema`; stored blobs in blocks of `storedBlockSize` bytes.
  package init(schema: FieldSchema, storedBlockSize: Int = _StoredFormat.defaultBlockSize) {
    self.schema = schema
    lengths = schema.fields.map { _ in [] }
    numbers = schema.fields.map { _ in [] }
    stats = schema.fields.map { _ in FieldStats() }
    store = _StoredFieldsWriter(blockSize: storedBlockSize)
  }

  /// Bytes of memory held, for a RAM budget (array capacities, so slightly over the live size).
  package var ramBytesUsed: Int {
    terms.ramBytesUsed + store.ramBytesUsed + lengths.reduce(0) { $0 + $1.capacity * 4 }
      + numbers.reduce(0) { $0 + $1.capacity * 9 } + touched.capacity * 4 + tokenTerms.capacity * 4
      + posScratch.capacity * 4
  }

  /// Distinct (field, term) keys so far.
  package var termCount: Int { terms.count }

  /// Adds `doc` as the next document; returns its doc id.
  @discardableResult
  package func add(_ doc: SegmentDocument) -> UInt32 {
    precondition(doc.text.count == schema.count && doc.keywords.count == schema.count, "document of another schema")
    precondition(docCount < UInt32.max - 1, "segment full")
    let id = docCount
    for field in schema.fields {
      let f = Int(field.number)
      switch field.kind {
      case .text:
        let tokens = doc.text[f]
        let length = tokens._fieldLength
        lengths[f].append(length)
        if length > 0 || tokens.count > 0 {
          stats[f].docCount += 1
          stats[f].totalTokens += UInt64(length)
        }
        if tokens.count > 0 { _addText(field, tokens, doc: id) }
      case .keyword:
        var any = false
        for value in doc.keywords[f] {
          let t = value.withUnsafeBytes { terms.intern(field.number, $0) }
          if terms.curFreq[t] != 0 { continue }  // the same value twice in one doc
          if terms.head[t] != terms.write[t] && terms.lastDoc[t] == id { continue }
          terms.curFreq[t] = 1
          touched.append(Int32(t))
          let delta = terms.head[t] == terms.write[t] ? id : id - terms.lastDoc[t]
          terms.appendVInt(t, delta)
          terms.lastDoc[t] = id
          stats[f].totalTokens += 1
          any = true
        }
        for t in touched { terms.curFreq[Int(t)] = 0 }
        touched.removeAll(keepingCapacity: true)
        if any { stats[f].docCount += 1 }
      case .numeric:
        numbers[f].append(doc.numbers[f])
        if doc.numbers[f] != nil {
          stats[f].docCount += 1
          stats[f].totalTokens += 1
        }
      }
    }
    store.add(doc.stored)
    docCount += 1
    return id
  }

  private func _addText(_ field: FieldInfo, _ tokens: TokenBuffer, doc id: UInt32) {
    let n = tokens.count
    tokenTerms.removeAll(keepingCapacity: true)
    tokenTerms.reserveCapacity(n)
    // Pass 1: intern every token and count per term.
    tokens.bytes.withUnsafeBytes { bytes in
      var start = 0
      for i in 0..<n {
        let end = Int(tokens.ends[i])
        let t = terms.intern(field.number, UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        start = end
        if terms.curFreq[t] == 0 { touched.append(Int32(t)) }
        terms.curFreq[t] += 1
        tokenTerms.append(Int32(t))
      }
    }
    // Pass 2: each touched term's slice of the position scratch, then scatter positions.
    var offset: UInt32 = 0
    for t in touched {
      terms.scratch[Int(t)] = offset
      offset += terms.curFreq[Int(t)]
    }
    if field.hasPositions {
      if posScratch.count < n { posScratch = [UInt32](repeating: 0, count: max(n, posScratch.count * 2)) }
      for i in 0..<n {
        let t = Int(tokenTerms[i])
        posScratch[Int(terms.scratch[t])] = tokens.positions[i]
        terms.scratch[t] += 1
      }
    }
    // Pass 3: append one posting per touched term.
    for tt in touched {
      let t = Int(tt)
      let freq = terms.curFreq[t]
      let delta = terms.head[t] == terms.write[t] ? id : id - terms.lastDoc[t]
      terms.appendVInt(t, delta)
      terms.appendVInt(t, freq)
      if field.hasPositions {
        let end = Int(terms.scratch[t])
        let start = end - Int(freq)
        var sorted = true
        for j in (start + 1)..<max(end, start + 1) where posScratch[j] < posScratch[j - 1] { sorted = false }
        if !sorted { posScratch[start..<end].sort() }
        var last: UInt32 = 0
        for j in start..<end {
          terms.appendVInt(t, posScratch[j] - last)
          last = posScratch[j]
        }
      }
      terms.lastDoc[t] = id
      terms.curFreq[t] = 0
    }
    touched.removeAll(keepingCapacity: true)
  }

  /// Writes the segment's files as `<name>.*` and returns its info. The writer must not be used
  /// afterwards. `id` is random unless given (tests).
  package func flush(to directory: any Directory, name: String, id: UInt64? = nil) throws -> SegmentInfo {
    let segID = id ?? UInt64.random(in: 1...UInt64.max)
    var info = SegmentInfo(name: name, id: segID, docCount: docCount, schema: schema, fieldStats: stats)
    let docOut = try _IndexFileWriter(directory, name: "\(name).doc", kind: "DOCS", segmentID: segID)
    let posOut = try _IndexFileWriter(directory, name: "\(name).pos", kind: "POSN", segmentID: segID)
    let dict = try _TermDictionaryWriter(directory, segment: name, segmentID: segID, schema: schema)
    var encoders = schema.fields.map { _PostingsEncoder(docOut: docOut, posOut: posOut, field: $0) }
    var docs: [UInt32] = []
    var freqs: [UInt32] = []
    var positions: [UInt32] = []
    var posStarts: [Int] = []
    for t in terms.sortedTermIDs() {
      let s = Int(terms.keyStarts[t])
      let e = Int(terms.keyStarts[t + 1])
      let f = Int(terms.keyArena[s])
      let field = schema.fields[f]
      // Decode the stream.
      docs.removeAll(keepingCapacity: true)
      freqs.removeAll(keepingCapacity: true)
      positions.removeAll(keepingCapacity: true)
      posStarts.removeAll(keepingCapacity: true)
      var state = 0  // 0 doc, 1 freq, 2 positions
      var value: UInt32 = 0
      var shift: UInt32 = 0
      var doc: UInt32 = 0
      var leftPositions: UInt32 = 0
      var lastPos: UInt32 = 0
      terms.readStream(t) { b in
        value |= UInt32(b & 0x7F) << shift
        if b >= 0x80 {
          shift += 7
          return
        }
        let v = value
        value = 0
        shift = 0
        switch state {
        case 0:
          doc = docs.isEmpty ? v : doc + v
          docs.append(doc)
          if field.hasFreqs {
            state = 1
          } else {
            freqs.append(1)
          }
        case 1:
          freqs.append(v)
          posStarts.append(positions.count)
          if field.hasPositions {
            leftPositions = v
            lastPos = 0
            state = 2
          } else {
            state = 0
          }
        default:
          lastPos += v
          positions.append(lastPos)
          leftPositions -= 1
          if leftPositions == 0 { state = 0 }
        }
      }
      posStarts.append(positions.count)
      try positions.withUnsafeBufferPointer { p in
        for i in 0..<docs.count {
          let ps =
            field.hasPositions
            ? UnsafeBufferPointer(rebasing: p[posStarts[i]..<posStarts[i + 1]]) : UnsafeBufferPointer(start: nil, count: 0)
          let len = field.hasNorms ? lengths[f][Int(docs[i])] : 0
          try encoders[f].add(doc: docs[i], freq: freqs[i], fieldLength: len, positions: ps)
        }
      }
      let ti = try encoders[f].finishTerm()
      try terms.keyArena.withUnsafeBytes { try dict.add(UnsafeRawBufferPointer(rebasing: $0[s..<e]), ti) }
      info.fieldStats[f].termCount += 1
    }
    try docOut.finish()
    try posOut.finish()
    try dict.finish()
    let storeOut = try _IndexFileWriter(directory, name: "\(name).store", kind: "STOR", segmentID: segID)
    try store.finish(to: storeOut)
    let normFields = schema.fields.filter(\.hasNorms).map(\.number)
    try _NormsFormat.write(
      directory, segment: name, segmentID: segID, docCount: Int(docCount), fields: normFields,
      lengths: normFields.map { lengths[Int($0)] })
    let numFields = schema.fields.filter { $0.kind == .numeric }.map(\.number)
    try _NumericFormat.write(
      directory, segment: name, segmentID: segID, docCount: Int(docCount), fields: numFields,
      values: numFields.map { numbers[Int($0)] })
    try info.write(to: directory)
    return info
  }
}
