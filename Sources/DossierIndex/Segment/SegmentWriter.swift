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
      + numbers.reduce(0) { $0 + $1.capacity * 9 }
  }

  /// Tokens and keyword values not indexed because they are longer than
  /// `SegmentWriter.maxTermLength` bytes (the field length still counts them).
  package var skippedLongTerms: Int { terms.skippedLongTerms }
  /// The longest term indexed, in bytes.
  package static var maxTermLength: Int { _TermHash.maxTermLength }

  /// Distinct (field, term) keys so far.
  package var termCount: Int { terms.count }

  /// Adds `doc` as the next document; returns its doc id.
  @discardableResult
  package func add(_ doc: SegmentDocument) -> UInt32 {
    precondition(
      doc.text.count == schema.count && doc.keywords.count == schema.count, "document of another schema")
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
        if tokens.count > 0 { terms.addText(field, tokens, doc: id) }
      case .keyword:
        let distinct = terms.addKeywords(field.number, doc.keywords[f], doc: id)
        if distinct > 0 {
          stats[f].docCount += 1
          stats[f].totalTokens += UInt64(distinct)
        }
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
    let terms = self.terms  // a local copy: no dynamic exclusivity checks in the loop
    let lengths = self.lengths
    let sorted = terms.sortedTermIDs()
    for (k, t) in sorted.enumerated() {
      // The terms' state and streams lie all over memory in key order: fetch ahead.
      if k + 16 < sorted.count { terms.prefetch(sorted[k + 16], stage: 0) }
      if k + 8 < sorted.count { terms.prefetch(sorted[k + 8], stage: 1) }
      let s = Int(terms.keyStarts[t])
      let e = Int(terms.keyStarts[t + 1])
      let f = Int(terms.keyArena[s])
      let field = schema.fields[f]
      terms.decode(
        t, hasFreqs: field.hasFreqs, hasPositions: field.hasPositions, docs: &docs, freqs: &freqs,
        positions: &positions, posStarts: &posStarts)
      try positions.withUnsafeBufferPointer { p in
        for i in 0..<docs.count {
          let ps =
            field.hasPositions
            ? UnsafeBufferPointer(rebasing: p[posStarts[i]..<posStarts[i + 1]])
            : UnsafeBufferPointer(start: nil, count: 0)
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

extension SegmentWriter {
  /// Where the memory goes (bytes by part), for benchmarks and tuning.
  package var _ramBreakdown: [(String, Int)] {
    [
      ("postings pool", terms.pool.capacity),
      ("term keys", terms.keyArena.capacity + terms.keyStarts.capacity * 4),
      ("term state", terms.terms.capacity * MemoryLayout<_TermHash._Term>.stride),
      ("hash table", terms.table.capacity * 8),
      ("stored (compressed)", store.ramBytesUsed), ("lengths", lengths.reduce(0) { $0 + $1.capacity * 4 }),
      ("terms", terms.count),
    ]
  }
}
