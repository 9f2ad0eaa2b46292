extension SegmentReader {
  /// Checks every byte and every structural invariant of the segment; throws the first problem
  /// as `IndexError.corrupt` naming the file. What `dossier check` runs.
  ///
  /// Checks: the CRC of every file (deletions included); dictionary keys strictly increasing,
  /// of indexed fields, term counts matching `.si`; every postings list decodes with doc ids
  /// increasing and below the doc count, `docFreq` and `totalTermFreq` matching, positions
  /// nondecreasing, and each block's skip entry bounding its docs (last doc, max frequency, min
  /// length); norms consistent with the field statistics; numeric columns sorted; every stored
  /// document decodes.
  ///
  /// Cost: one pass over every file.
  package func verify() throws {
    let name = info.name
    for f in files where !_FileFormat.checksumMatches(f) {
      throw IndexError.corrupt(file: f.name, detail: "checksum mismatch")
    }
    _ = try SegmentInfo.read(from: directory, segment: name)
    if let g = deletionGeneration {
      _ = try DeletionSet.read(
        from: directory, segment: name, segmentID: info.id, generation: g, docCount: info.docCount)
    }
    let dictFile = "\(name).dict"
    let docFile = "\(name).doc"
    func bad(_ file: String, _ detail: String) -> IndexError { .corrupt(file: file, detail: detail) }
    // Terms and postings.
    var it = allTerms()
    var prev: [UInt8] = []
    var count: UInt64 = 0
    var perField = [UInt64](repeating: 0, count: info.schema.count)
    var lastDocEnd: UInt64 = 0
    var lastPosEnd: UInt64 = 0
    while it.next() {
      let key = it.key
      if count > 0 && !prev.lexicographicallyPrecedes(key) {
        throw bad(dictFile, "terms out of order at term \(count)")
      }
      prev = key
      count += 1
      let field = info.schema[key[0]]
      guard field.isIndexed else { throw bad(dictFile, "term of numeric field \(field.name)") }
      perField[Int(field.number)] += 1
      let ti = it.info
      guard ti.docFreq <= info.docCount else {
        throw bad(dictFile, "doc freq \(ti.docFreq) over the doc count")
      }
      guard ti.docOffset >= lastDocEnd else {
        throw bad(dictFile, "postings offsets out of order at term \(count)")
      }
      lastDocEnd = ti.docOffset
      if field.hasPositions {
        guard ti.posOffset >= lastPosEnd else { throw bad(dictFile, "position offsets out of order") }
        lastPosEnd = ti.posOffset
      }
      var c = postings(field: field.number, info: ti)
      var n: UInt32 = 0
      var ttf: UInt64 = 0
      var last: UInt32 = 0
      let lengths = norms(field: field.number)
      while c.doc != PostingsCursor.noMoreDocs {
        let d = c.doc
        guard d < info.docCount, n == 0 || d > last else {
          throw bad(docFile, "doc ids not increasing or out of range in term \(count)")
        }
        let fr = c.freq
        guard fr >= 1 else { throw bad(docFile, "zero frequency in term \(count)") }
        c.shallowAdvance(to: d)
        let length = lengths?[d] ?? 0
        var inBlock = false
        var inTerm = false
        c.forEachBlockImpact { f, l in if fr <= f && length >= l { inBlock = true } }
        c.forEachTermImpact { f, l in if fr <= f && length >= l { inTerm = true } }
        guard d <= c.blockLastDoc, inBlock, inTerm, !c.isCorrupt else {
          throw bad(docFile, "skip data does not bound block of doc \(d) in term \(count)")
        }
        if field.hasPositions {
          let ok = c.withPositions { ps -> Bool in
            guard ps.count == Int(fr) else { return false }
            for j in ps.indices.dropFirst() where ps[j] < ps[j - 1] { return false }
            return true
          }
          guard ok, !c.isCorrupt else { throw bad("\(name).pos", "positions do not decode in term \(count)") }
        }
        ttf += UInt64(fr)
        last = d
        n += 1
        c.next()
      }
      if c.isCorrupt { throw bad(docFile, "postings do not decode in term \(count)") }
      guard n == ti.docFreq else {
        throw bad(docFile, "term \(count) has \(n) docs, the dictionary says \(ti.docFreq)")
      }
      guard ttf == ti.totalTermFreq else {
        throw bad(dictFile, "total term freq of term \(count) does not match")
      }
    }
    if let e = it.error { throw e }
    guard count == dict.termCount else {
      throw bad(dictFile, "\(count) terms, the index says \(dict.termCount)")
    }
    for fi in info.schema.fields where perField[Int(fi.number)] != info.fieldStats[Int(fi.number)].termCount {
      throw bad("\(name).si", "term count of field \(fi.name) does not match the dictionary")
    }
    // Norms against statistics.
    for fi in info.schema.fields where fi.hasNorms {
      let col = norms(field: fi.number)!
      var docs: UInt32 = 0
      var total: UInt64 = 0
      for d in 0..<info.docCount {
        let l = col[d]
        if l > 0 {
          docs += 1
          total += UInt64(l)
        }
      }
      let s = info.fieldStats[Int(fi.number)]
      guard total == s.totalTokens, docs <= s.docCount else {
        throw bad("\(name).norm", "lengths of field \(fi.name) do not match the statistics")
      }
    }
    // Numeric columns.
    for fi in info.schema.fields where fi.kind == .numeric {
      let col = numericColumn(field: fi.number)!
      var withValue = 0
      for d in 0..<info.docCount where col[d] != nil { withValue += 1 }
      guard withValue == col.valueCount else {
        throw bad("\(name).num", "value count of \(fi.name) does not match")
      }
      var prevPair: (Int64, UInt32)? = nil
      for i in 0..<col.valueCount {
        let d = col.sortedDoc(i)
        guard d < info.docCount, let v = col[d] else {
          throw bad("\(name).num", "sorted doc \(d) has no value")
        }
        if let p = prevPair, !(p < (v, d)) { throw bad("\(name).num", "sorted docs out of order") }
        prevPair = (v, d)
      }
    }
    // Stored documents.
    var stored: UInt32 = 0
    try forEachDocument { d, _ in
      guard d == stored else { throw bad("\(name).store", "documents out of order") }
      stored += 1
    }
    guard stored == info.docCount else {
      throw bad("\(name).store", "\(stored) stored documents, the segment has \(info.docCount)")
    }
  }
}
