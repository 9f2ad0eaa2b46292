import DossierTestSupport
import Testing

@testable import DossierIndex

/// A document as the tests see it: plain arrays, turned into a `SegmentDocument` on demand.
struct ModelDocument: Equatable {
  var text: [FieldNumber: [(term: [UInt8], position: UInt32)]] = [:]
  var lengths: [FieldNumber: UInt32] = [:]
  var keywords: [FieldNumber: [[UInt8]]] = [:]
  var numbers: [FieldNumber: Int64] = [:]
  var stored: [UInt8] = []

  static func == (a: ModelDocument, b: ModelDocument) -> Bool {
    a.stored == b.stored && a.lengths == b.lengths && a.keywords == b.keywords && a.numbers == b.numbers
      && a.text.keys == b.text.keys
      && a.text.allSatisfy { k, v in
        let w = b.text[k]!
        return v.count == w.count && zip(v, w).allSatisfy { $0.term == $1.term && $0.position == $1.position }
      }
  }

  func fill(_ doc: inout SegmentDocument) {
    doc.removeAll()
    for (f, tokens) in text {
      for t in tokens { doc.text[Int(f)].append(t.term, position: t.position) }
      doc.text[Int(f)].length = lengths[f]
    }
    for (f, values) in keywords { doc.keywords[Int(f)] = values }
    for (f, v) in numbers { doc.numbers[Int(f)] = v }
    doc.stored = stored
  }

  func length(_ f: FieldNumber) -> UInt32 { lengths[f] ?? UInt32(text[f]?.count ?? 0) }
}

/// Random documents over a small, skewed vocabulary, so that some terms reach several blocks.
enum ModelCorpus {
  static let schema = FieldSchema.standard
  static let vocabulary: [[UInt8]] =
    [
      "the", "of", "surveillance", "camera", "vendor", "report", "ecuador", "facial", "recognition",
      "spyware",
      "pegasus", "nso", "huawei", "hikvision", "police", "state", "data", "phone", "é", "北京", "a", "ab",
      "abc",
      "abd", "b",
    ].map { Array($0.utf8) }

  static func randomDocuments(_ rng: inout SeededRandom, count: Int, firstID: Int = 0, maxTokens: Int = 40)
    -> [ModelDocument]
  {
    (0..<count).map { i in
      var d = ModelDocument()
      for f in [FieldNumber(0), 1, 2, 3] {
        let n = f == 2 ? Int.random(in: 0...maxTokens, using: &rng) : Int.random(in: 0...4, using: &rng)
        var pos = UInt32(0)
        var tokens: [(term: [UInt8], position: UInt32)] = []
        for _ in 0..<n {
          // Skewed: low indexes far more often.
          let r = Double.random(in: 0..<1, using: &rng)
          let w = vocabulary[min(vocabulary.count - 1, Int(r * r * r * Double(vocabulary.count)))]
          tokens.append((w, pos))
          pos += UInt32.random(in: 0...2, using: &rng)  // 0: two tokens at one position
        }
        if n > 0 || Bool.random(using: &rng) {
          d.text[f] = tokens
          if Int.random(in: 0..<4, using: &rng) == 0 {
            d.lengths[f] = UInt32(n) + UInt32.random(in: 0...5, using: &rng)
          }
        }
      }
      d.keywords[4] = [Array("doc-\(firstID + i)".utf8)]
      d.keywords[5] = [Array("/reports/\(firstID + i).html".utf8)]
      d.keywords[6] = [["en", "fr", "de"].randomElement(using: &rng)!].map { Array($0.utf8) }
      if Bool.random(using: &rng) {
        d.keywords[7] = [Array("html".utf8), Array("report".utf8), Array("html".utf8)]
      }
      if Bool.random(using: &rng) { d.numbers[8] = Int64.random(in: 17_000...19_000, using: &rng) }
      let len = Int.random(in: 0...300, using: &rng)
      d.stored = (0..<len).map { _ in UInt8.random(in: 97...122, using: &rng) }
      return d
    }
  }

  /// Writes `docs` as segment `name`.
  static func write(_ docs: [ModelDocument], to dir: any Directory, name: String, id: UInt64? = nil) throws
    -> SegmentInfo
  {
    let w = SegmentWriter(schema: schema, storedBlockSize: 2048)
    var doc = SegmentDocument(schema: schema)
    for d in docs {
      d.fill(&doc)
      w.add(doc)
    }
    #expect(w.docCount == UInt32(docs.count))
    #expect(w.ramBytesUsed > 0)
    return try w.flush(to: dir, name: name, id: id)
  }

  struct Posting: Equatable {
    var doc: UInt32
    var freq: UInt32
    var positions: [UInt32]
  }

  /// The postings of every key (field byte + term), as the index should have them.
  static func postings(_ docs: [ModelDocument]) -> [[UInt8]: [Posting]] {
    var out: [[UInt8]: [Posting]] = [:]
    for (i, d) in docs.enumerated() {
      for (f, tokens) in d.text {
        var byTerm: [[UInt8]: [UInt32]] = [:]
        for t in tokens { byTerm[t.term, default: []].append(t.position) }
        for (term, ps) in byTerm {
          out[[f] + term, default: []].append(
            Posting(doc: UInt32(i), freq: UInt32(ps.count), positions: ps.sorted()))
        }
      }
      for (f, values) in d.keywords {
        for v in Set(values) {
          out[[f] + v, default: []].append(Posting(doc: UInt32(i), freq: 1, positions: []))
        }
      }
    }
    return out
  }

  /// Checks everything `reader` exposes against `docs` (its documents in doc-id order).
  static func check(_ reader: SegmentReader, against docs: [ModelDocument], rng: inout SeededRandom) throws {
    #expect(reader.docCount == UInt32(docs.count))
    let model = postings(docs)
    let keys = model.keys.sorted { $0.lexicographicallyPrecedes($1) }
    #expect(reader.termCount == UInt64(keys.count))
    // Every term, in order, with its postings.
    var it = reader.allTerms()
    var i = 0
    while it.next() {
      guard i < keys.count else {
        Issue.record("more terms than the model")
        break
      }
      #expect(it.key == keys[i])
      let expected = model[keys[i]]!
      #expect(it.info.docFreq == UInt32(expected.count))
      var c = reader.postings(field: it.field, info: it.info)
      var got: [Posting] = []
      while c.doc != PostingsCursor.noMoreDocs {
        got.append(Posting(doc: c.doc, freq: c.freq, positions: c.positions()))
        c.next()
      }
      #expect(
        got == expected,
        "postings of \(String(decoding: keys[i].dropFirst(), as: UTF8.self)) in field \(keys[i][0])")
      i += 1
    }
    #expect(i == keys.count)
    // Exact lookups, present and absent.
    for k in keys.prefix(50) { #expect(reader.termInfo(field: k[0], term: k.dropFirst()) != nil) }
    #expect(reader.termInfo(field: 2, term: Array("absent".utf8)) == nil)
    #expect(reader.termInfo(field: 8, term: Array("the".utf8)) == nil)
    // Prefix enumeration.
    for prefix in ["a", "ab", "s", "", "zzz"].map({ Array($0.utf8) }) {
      var pit = reader.terms(field: 2, prefix: prefix)
      var got: [[UInt8]] = []
      while pit.next() { got.append(Array(pit.term)) }
      let expected = keys.filter { $0[0] == 2 && $0.dropFirst().starts(with: prefix) }.map {
        Array($0.dropFirst())
      }
      #expect(got == expected)
    }
    // Statistics, norms, numbers, keywords, stored documents.
    for f in [FieldNumber(0), 1, 2, 3] {
      let lengths = docs.map { $0.length(f) }
      #expect(reader.stats(field: f).totalTokens == lengths.reduce(0) { $0 + UInt64($1) })
      #expect(reader.stats(field: f).docCount == UInt32(lengths.filter { $0 > 0 }.count))
      #expect(reader.stats(field: f).termCount == UInt64(keys.filter { $0[0] == f }.count))
      for d in 0..<docs.count { #expect(reader.fieldLength(field: f, doc: UInt32(d)) == lengths[d]) }
    }
    for f in [FieldNumber(4), 5, 6, 7] {
      #expect(
        reader.stats(field: f).docCount == UInt32(docs.filter { !($0.keywords[f] ?? []).isEmpty }.count))
    }
    for d in 0..<docs.count {
      #expect(reader.number(field: 8, doc: UInt32(d)) == docs[d].numbers[8])
      #expect(try reader.document(UInt32(d)) == docs[d].stored)
    }
    let lo = Int64.random(in: 17_000...19_000, using: &rng)
    let range = lo...(lo + 400)
    #expect(
      reader.docs(field: 8, in: range)
        == docs.indices.filter { docs[$0].numbers[8].map(range.contains) ?? false }.map(UInt32.init))
    if let d = docs.indices.randomElement(using: &rng) {
      #expect(reader.keywordDocs(field: 4, value: docs[d].keywords[4]![0]) == [UInt32(d)])
    }
    try reader.verify()
  }
}
