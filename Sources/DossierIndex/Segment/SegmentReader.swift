/// An open segment: every file mapped, the dictionary's block index in memory, and the
/// deletions of one generation. Immutable and safe to share between threads.
///
///     let seg = try SegmentReader.open(in: dir, segment: "seg_1", deletionGeneration: 2)
///     if var c = seg.postings(field: 2, term: Array("fox".utf8)) { ... }
///     let len = seg.fieldLength(field: 2, doc: 7)
///     let blob = try seg.document(7)
///     try seg.verify()                        // what `dossier check` runs
///
/// Cost of `open`: one mmap per file and, with `verifyChecksums` (the default), one pass of
/// CRC-32C over every byte (about 1.5-2 GB/s); without it only headers, footers and small
/// tables are checked, and damaged postings stop cursors instead of failing the open.
package final class SegmentReader: @unchecked Sendable {
  /// Name, id, doc count, schema, per-field statistics.
  package let info: SegmentInfo
  /// The deleted docs, or nil when none were ever deleted.
  package let deletions: DeletionSet?
  /// The generation `deletions` came from.
  package let deletionGeneration: UInt64?
  let files: [FileBytes]
  let docData: UnsafeRawBufferPointer
  let posData: UnsafeRawBufferPointer
  let dict: _TermDictionaryReader
  let store: _StoredFieldsReader
  let norms: [LengthColumn?]
  let numeric: [NumericColumn?]
  let directory: any Directory

  private init(
    info: SegmentInfo, deletions: DeletionSet?, deletionGeneration: UInt64?, files: [FileBytes],
    docData: UnsafeRawBufferPointer, posData: UnsafeRawBufferPointer, dict: _TermDictionaryReader,
    store: _StoredFieldsReader, norms: [LengthColumn?], numeric: [NumericColumn?], directory: any Directory
  ) {
    self.info = info
    self.deletions = deletions
    self.deletionGeneration = deletionGeneration
    self.files = files
    self.docData = docData
    self.posData = posData
    self.dict = dict
    self.store = store
    self.norms = norms
    self.numeric = numeric
    self.directory = directory
  }

  /// Opens segment `segment` of `directory`, with the deletions of `deletionGeneration` (none if
  /// nil). Throws `IndexError.corrupt` naming the damaged file.
  package static func open(
    in directory: any Directory, segment: String, deletionGeneration: UInt64? = nil,
    verifyChecksums: Bool = true, _neverChecksum: Bool = false
  ) throws -> SegmentReader {
    let info = try SegmentInfo.read(from: directory, segment: segment)
    let id = info.id
    func body(_ ext: String, _ kind: String) throws -> (FileBytes, UnsafeRawBufferPointer) {
      let f = try directory.openInput("\(segment).\(ext)")
      // Small files are always checksummed; large ones when asked.
      let small = f.count <= 1 << 16
      let verify = (verifyChecksums || small) && !_neverChecksum  // tests of damaged bytes
      let b = try _FileFormat.openBody(f, kind: kind, segmentID: id, verifyChecksum: verify)
      return (f, b)
    }
    let (docF, _) = try body("doc", "DOCS")
    let (posF, _) = try body("pos", "POSN")
    let (dictF, _) = try body("dict", "DICT")
    let (storeF, _) = try body("store", "STOR")
    let (normF, normBody) = try body("norm", "NORM")
    let (numF, numBody) = try body("num", "NUMS")
    func data(_ f: FileBytes) -> UnsafeRawBufferPointer {
      UnsafeRawBufferPointer(rebasing: f.bytes[0..<f.count - _FileFormat.footerSize])
    }
    let dict = try _TermDictionaryReader(data: data(dictF), file: dictF.name, schema: info.schema)
    let store = try _StoredFieldsReader(data: data(storeF), file: storeF.name, docCount: info.docCount)
    let n = try _NormsFormat.parse(
      normBody, file: normF.name, docCount: Int(info.docCount), schema: info.schema)
    let nums = try _NumericFormat.parse(
      numBody, file: numF.name, docCount: Int(info.docCount), schema: info.schema)
    var dels: DeletionSet? = nil
    if let g = deletionGeneration {
      dels = try DeletionSet.read(
        from: directory, segment: segment, segmentID: id, generation: g, docCount: info.docCount)
    }
    return SegmentReader(
      info: info, deletions: dels, deletionGeneration: deletionGeneration,
      files: [docF, posF, dictF, storeF, normF, numF], docData: data(docF), posData: data(posF), dict: dict,
      store: store, norms: info.schema.fields.map { n[$0.number] },
      numeric: info.schema.fields.map { nums[$0.number] },
      directory: directory)
  }

  /// The same segment with other deletions (no file is reopened). Cost: O(1).
  package func withDeletions(_ deletions: DeletionSet?, generation: UInt64?) -> SegmentReader {
    precondition(deletions == nil || deletions!.docCount == info.docCount)
    return SegmentReader(
      info: info, deletions: deletions, deletionGeneration: generation, files: files, docData: docData,
      posData: posData, dict: dict, store: store, norms: norms, numeric: numeric, directory: directory)
  }

  /// The segment's name.
  package var name: String { info.name }
  /// Documents, deleted ones included.
  package var docCount: UInt32 { info.docCount }
  /// Documents not deleted.
  package var liveDocCount: UInt32 { info.docCount - (deletions?.deletedCount ?? 0) }
  /// Whether `doc` is deleted.
  @inline(__always) package func isDeleted(_ doc: UInt32) -> Bool { deletions?.contains(doc) ?? false }
  /// Statistics of `field`.
  package func stats(field: FieldNumber) -> FieldStats { info.fieldStats[Int(field)] }
  /// Sizes of the segment's files in bytes, by extension.
  package var fileSizes: [String: Int] {
    Dictionary(uniqueKeysWithValues: files.map { (String($0.name.split(separator: ".").last!), $0.count) })
  }

  // MARK: Terms and postings

  static func _key(_ field: FieldNumber, _ term: some Sequence<UInt8>) -> [UInt8] {
    var k: [UInt8] = [field]
    k.append(contentsOf: term)
    return k
  }

  /// The dictionary record of `term` in `field`, or nil.
  package func termInfo(field: FieldNumber, term: some Sequence<UInt8>) -> TermInfo? {
    dict.lookup(Self._key(field, term))
  }

  /// `termInfo` for a term given as an array: the key is built on the stack.
  package func termInfo(field: FieldNumber, term: [UInt8]) -> TermInfo? {
    term.withUnsafeBytes { t in
      withUnsafeTemporaryAllocation(byteCount: t.count + 1, alignment: 1) { key in
        key[0] = field
        if t.count > 0 {
          key.baseAddress!.advanced(by: 1).copyMemory(from: t.baseAddress!, byteCount: t.count)
        }
        return dict.lookup(UnsafeRawBufferPointer(key))
      }
    }
  }

  /// A cursor over the postings of `term` in `field`, or nil if absent. Deleted docs are
  /// included: callers skip them with `isDeleted`.
  package func postings(field: FieldNumber, term: some Sequence<UInt8>) -> PostingsCursor? {
    termInfo(field: field, term: term).map { postings(field: field, info: $0) }
  }

  /// A cursor over the postings `info` of `field`.
  package func postings(field: FieldNumber, info: TermInfo) -> PostingsCursor {
    PostingsCursor(
      owner: self, docData: docData, posData: posData, info: info, field: self.info.schema[field],
      lengths: norms[Int(field)])
  }

  /// The terms of `field` that start with `prefix`, in byte order.
  package func terms(field: FieldNumber, prefix: [UInt8] = []) -> FieldTermIterator {
    FieldTermIterator(inner: dict.iterator(from: Self._key(field, prefix)), field: field, prefix: prefix)
  }

  /// All keys (field byte + term bytes) in order (merges, verification).
  package func allTerms() -> TermIterator { dict.iterator() }

  /// The number of keys in the dictionary, all fields.
  package var termCount: UInt64 { dict.termCount }

  /// The docs whose keyword `field` has exactly `value`, ascending (deleted ones included).
  package func keywordDocs(field: FieldNumber, value: some Sequence<UInt8>) -> [UInt32] {
    guard var c = postings(field: field, term: value) else { return [] }
    var out: [UInt32] = []
    out.reserveCapacity(Int(c.docFreq))
    while c.doc != PostingsCursor.noMoreDocs {
      out.append(c.doc)
      c.next()
    }
    return out
  }

  // MARK: Norms, numbers, stored documents

  /// The length column of text `field`.
  package func norms(field: FieldNumber) -> LengthColumn? { norms[Int(field)] }
  /// The length of text `field` in `doc`.
  package func fieldLength(field: FieldNumber, doc: UInt32) -> UInt32 { norms[Int(field)]?[doc] ?? 0 }
  /// The column of numeric `field`.
  package func numericColumn(field: FieldNumber) -> NumericColumn? { numeric[Int(field)] }
  /// The value of numeric `field` in `doc`.
  package func number(field: FieldNumber, doc: UInt32) -> Int64? { numeric[Int(field)]?[doc] }
  /// The docs whose numeric `field` lies in `range`, ascending (deleted ones included).
  package func docs(field: FieldNumber, in range: ClosedRange<Int64>) -> [UInt32] {
    numeric[Int(field)]?.docs(in: range) ?? []
  }
  /// The stored blob of `doc`.
  package func document(_ doc: UInt32) throws -> [UInt8] { try store.document(doc) }
  /// Every stored blob in doc order.
  package func forEachDocument(_ body: (UInt32, UnsafeRawBufferPointer) throws -> Void) throws {
    try store.forEachDocument(body)
  }
}

/// The terms of one field (optionally under a prefix), in byte order.
///
///     var it = seg.terms(field: 2, prefix: Array("surv".utf8))
///     while it.next() { print(it.term, it.info.docFreq) }
package struct FieldTermIterator {
  var inner: TermIterator
  let field: FieldNumber
  let prefix: [UInt8]
  private var done = false

  init(inner: TermIterator, field: FieldNumber, prefix: [UInt8]) {
    self.inner = inner
    self.field = field
    self.prefix = prefix
  }

  /// Moves to the next term; false at the end.
  package mutating func next() -> Bool {
    guard !done, inner.next() else {
      done = true
      return false
    }
    let k = inner.key
    guard k[0] == field, k.count - 1 >= prefix.count, k[1..<(1 + prefix.count)].elementsEqual(prefix) else {
      done = true
      return false
    }
    return true
  }

  /// The current term's bytes.
  package var term: ArraySlice<UInt8> { inner.key[1...] }
  /// The current term's record.
  package var info: TermInfo { inner.info }
  /// Damage met while iterating, if any.
  package var error: IndexError? { inner.error }
}
