/// Merges segments into one new segment, dropping deleted documents and renumbering the rest
/// (segment by segment, in order, each keeping its docs' order).
///
///     let result = try SegmentMerger.merge([a, b], into: dir, name: "seg_3")
///     result.docMaps[0][oldDoc]      // the new id, or SegmentMerger.deleted
///
/// Streaming: terms are merged one at a time in key order (a k-way merge of the dictionaries),
/// so memory holds one term's doc blocks, one block of positions and one stored block, plus the
/// per-document columns (norms, numbers: a few bytes a doc). Cost: O(postings + stored bytes).
package enum SegmentMerger {
  /// The new id of a deleted document in `docMaps`.
  package static let deleted = UInt32.max

  /// What a merge made.
  package struct Result: Sendable {
    package var info: SegmentInfo
    /// For each input segment, old doc id -> new doc id (or `deleted`).
    package var docMaps: [[UInt32]]
  }

  /// Writes the live documents of `readers` (all of one schema) as segment `name`.
  package static func merge(
    _ readers: [SegmentReader], into directory: any Directory, name: String, id: UInt64? = nil,
    storedBlockSize: Int = _StoredFormat.defaultBlockSize
  ) throws -> Result {
    guard let schema = readers.first?.info.schema else { preconditionFailure("nothing to merge") }
    for r in readers where r.info.schema != schema {
      throw IndexError.corrupt(file: "\(r.name).si", detail: "schema differs from \(readers[0].name)'s")
    }
    let segID = id ?? UInt64.random(in: 1...UInt64.max)
    // Blocks are copied without decoding: the inputs must be sound first.
    for r in readers {
      for f in r.files where !_FileFormat.checksumMatches(f) {
        throw IndexError.corrupt(file: f.name, detail: "checksum mismatch")
      }
    }
    // Doc maps.
    var docMaps: [[UInt32]] = []
    var next: UInt32 = 0
    for r in readers {
      var map = [UInt32](repeating: deleted, count: Int(r.docCount))
      for d in 0..<r.docCount where !r.isDeleted(d) {
        map[Int(d)] = next
        next += 1
      }
      docMaps.append(map)
    }
    let docCount = next
    var stats = schema.fields.map { _ in FieldStats() }
    // Norms and numbers.
    var lengths: [[UInt32]] = schema.fields.map { _ in [] }
    var numbers: [[Int64?]] = schema.fields.map { _ in [] }
    for field in schema.fields {
      let f = Int(field.number)
      for r in readers {
        for d in 0..<r.docCount where !r.isDeleted(d) {
          switch field.kind {
          case .text:
            let l = r.fieldLength(field: field.number, doc: d)
            lengths[f].append(l)
            if l > 0 {
              stats[f].docCount += 1
              stats[f].totalTokens += UInt64(l)
            }
          case .numeric:
            let v = r.number(field: field.number, doc: d)
            numbers[f].append(v)
            if v != nil {
              stats[f].docCount += 1
              stats[f].totalTokens += 1
            }
          case .keyword: break
          }
        }
      }
    }
    // Stored documents.
    let storeOut = try _IndexFileWriter(directory, name: "\(name).store", kind: "STOR", segmentID: segID)
    let store = _StoredFieldsWriter(blockSize: storedBlockSize)
    for (i, r) in readers.enumerated() {
      // Blocks without deletions are copied compressed (bulk merge); the others are
      // decompressed and their live documents added one by one.
      for b in 0..<r.store.blocks {
        let raw = try r.store._rawBlock(b)
        let docs = Int(raw.first)..<(Int(raw.first) + raw.count)
        if docs.allSatisfy({ docMaps[i][$0] != deleted }) {
          store.addRawBlock(raw.bytes, docCount: raw.count, rawLength: raw.rawLength)
        } else {
          let block = try r.store._block(b)
          var start = block.dataStart
          for (k, l) in block.lengths.enumerated() {
            if docMaps[i][docs.lowerBound + k] != deleted {
              block.raw.withUnsafeBytes { store.add(UnsafeRawBufferPointer(rebasing: $0[start..<start + l])) }
            }
            start += l
          }
        }
        if store.ramBytesUsed > 1 << 20 { try store.drain(to: storeOut) }
      }
    }
    precondition(store.count == docCount)
    try store.finish(to: storeOut)
    // Terms.
    let docOut = try _IndexFileWriter(directory, name: "\(name).doc", kind: "DOCS", segmentID: segID)
    let posOut = try _IndexFileWriter(directory, name: "\(name).pos", kind: "POSN", segmentID: segID)
    let dict = try _TermDictionaryWriter(directory, segment: name, segmentID: segID, schema: schema)
    var encoders = schema.fields.map { _PostingsEncoder(docOut: docOut, posOut: posOut, field: $0) }
    var its = readers.map { $0.allTerms() }
    var live = its.indices.map { its[$0].next() }
    for it in its { if let e = it.error { throw e } }
    var keywordDocs: [[Bool]] = schema.fields.map {
      $0.kind == .keyword ? [Bool](repeating: false, count: Int(docCount)) : []
    }
    while true {
      // The smallest current key.
      var minIndex = -1
      for i in its.indices where live[i] {
        if minIndex < 0 || its[i].key.lexicographicallyPrecedes(its[minIndex].key) { minIndex = i }
      }
      if minIndex < 0 { break }
      let key = its[minIndex].key
      let f = Int(key[0])
      let field = schema.fields[f]
      for i in its.indices where live[i] && its[i].key == key {
        var c = readers[i].postings(field: field.number, info: its[i].info)
        while c.doc != PostingsCursor.noMoreDocs {
          let nd = docMaps[i][Int(c.doc)]
          if nd != deleted {
            let freq = c.freq
            let len = field.hasNorms ? lengths[f][Int(nd)] : 0
            try c.withPositions { ps in
              try encoders[f].add(doc: nd, freq: freq, fieldLength: len, positions: ps)
            }
            if field.kind == .keyword { keywordDocs[f][Int(nd)] = true }
          }
          c.next()
        }
        if c.isCorrupt {
          throw IndexError.corrupt(file: "\(readers[i].name).doc", detail: "postings do not decode")
        }
        live[i] = its[i].next()
        if let e = its[i].error { throw e }
      }
      if encoders[f].docCount > 0 {
        let ti = try encoders[f].finishTerm()
        try dict.add(key, ti)
        stats[f].termCount += 1
        if field.kind == .keyword { stats[f].totalTokens += UInt64(ti.docFreq) }
      }
    }
    for field in schema.fields where field.kind == .keyword {
      stats[Int(field.number)].docCount = UInt32(keywordDocs[Int(field.number)].lazy.filter { $0 }.count)
    }
    try docOut.finish()
    try posOut.finish()
    try dict.finish()
    let normFields = schema.fields.filter(\.hasNorms).map(\.number)
    try _NormsFormat.write(
      directory, segment: name, segmentID: segID, docCount: Int(docCount), fields: normFields,
      lengths: normFields.map { lengths[Int($0)] })
    let numFields = schema.fields.filter { $0.kind == .numeric }.map(\.number)
    try _NumericFormat.write(
      directory, segment: name, segmentID: segID, docCount: Int(docCount), fields: numFields,
      values: numFields.map { numbers[Int($0)] })
    let info = SegmentInfo(name: name, id: segID, docCount: docCount, schema: schema, fieldStats: stats)
    try info.write(to: directory)
    return Result(info: info, docMaps: docMaps)
  }
}
