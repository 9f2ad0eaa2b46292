import DossierIndex

/// Turns an extracted `Document` into the fields the index stores: analyzed title, headings,
/// body and author; keyword id, path, language and type; the publication date as a day number;
/// and the stored record that search results and snippets read.
///
/// One per thread (it owns an `AnalysisSession`). Each document is analyzed in its language:
/// the one it declares, else the detector's guess, else the analyzer's default; the language
/// used is indexed in the `lang` field and kept in the stored metadata. Values of a
/// multi-valued field (headings, body blocks) are separated by one position, so a phrase never
/// matches across two blocks.
///
/// Cost: O(text), dominated by analysis.
package final class DocumentMapper {
  package let settings: IndexSettings
  /// Keep the stored record (search results and snippets need it); the benchmark turns it off
  /// to compare with peers that index without storing the text.
  package var storesDocuments = true
  let session: AnalysisSession
  var analyzed = AnalyzedText(recordsOffsets: false)
  var detectionBuffer: [UInt8] = []
  static let schema = FieldSchema.standard
  static let title: FieldNumber = 0
  static let headings: FieldNumber = 1
  static let body: FieldNumber = 2
  static let author: FieldNumber = 3
  static let id: FieldNumber = 4
  static let path: FieldNumber = 5
  static let lang: FieldNumber = 6
  static let type: FieldNumber = 7
  static let date: FieldNumber = 8

  package init(settings: IndexSettings) {
    self.settings = settings
    session = AnalysisSession(settings.analyzer)
    // The segment writer maps each term-cache entry to its term once per cache epoch.
    analyzed.recordsEntries = true
  }

  /// The language `doc` is analyzed in.
  package func language(of doc: Document) -> Language {
    if let declared = doc.metadata["lang"], let language = Language(declared) { return language }
    // The detector reads the first 4 KB of title and text (cut at a character boundary), not
    // a copy of the whole document.
    let limit = Self.detectionSample
    // The sample's buffer is the mapper's, reused (a 4 KB allocation per document otherwise).
    var sample = detectionBuffer
    detectionBuffer = []
    defer { detectionBuffer = sample }
    sample.removeAll(keepingCapacity: true)
    sample.reserveCapacity(limit + 1)
    func add(_ part: String, first: Bool) {
      if !first { sample.append(0x0A) }
      var part = part
      part.withUTF8 { sample.append(contentsOf: $0.prefix(limit - sample.count)) }
    }
    add(doc.title, first: true)
    for block in doc.blocks where sample.count < limit { add(block, first: false) }
    // Drop a character cut in two (continuation bytes are 10xxxxxx).
    if sample.count >= limit {
      var end = sample.count
      while end > 0 && sample[end - 1] & 0xC0 == 0x80 { end -= 1 }
      if end > 0 && sample[end - 1] >= 0xC0 { end -= 1 }
      sample.removeSubrange(end...)
    }
    return sample.withUnsafeBufferPointer { settings.analyzer.language(named: nil, text: $0) }
  }

  /// Bytes of a document the language detector reads.
  static let detectionSample = 4096

  /// Fills `out` (emptied first) with the fields of `doc`.
  package func map(_ doc: Document, into out: inout SegmentDocument) {
    out.removeAll()
    let language = language(of: doc)
    func analyze(_ texts: [String], into field: FieldNumber) {
      analyzed.removeAll()
      for (i, text) in texts.enumerated() {
        if i > 0 { analyzed.nextPosition += 1 }
        var text = text
        text.withUTF8 { session.analyze($0, language: language, into: &analyzed) }
      }
      out.text[Int(field)].append(analyzed)
    }
    if settings.singleField {
      analyze([doc.title] + doc.blocks, into: Self.body)
    } else {
      analyze([doc.title], into: Self.title)
      analyze(doc.blocks, into: Self.body)
    }
    analyze(doc.headings.map(\.text), into: Self.headings)
    if let author = doc.metadata["author"] { analyze([author], into: Self.author) }
    out.keywords[Int(Self.id)] = [Array(doc.id.utf8)]
    if let path = doc.path { out.keywords[Int(Self.path)] = [Array(path.utf8)] }
    out.keywords[Int(Self.lang)] = [Array(language.code.utf8)]
    out.keywords[Int(Self.type)] = [Array(doc.type.rawValue.utf8)]
    if let date = doc.metadata["date"].flatMap(DayNumber.parse) { out.numbers[Int(Self.date)] = date }
    guard storesDocuments else { return }
    var stored = doc
    if stored.metadata["lang"] == nil { stored.metadata["lang"] = language.code }
    out.stored = StoredDocument.encode(stored)
  }
}
