import ArgumentParser
import DossierIndex
import Foundation

/// `dossier-bench index-codecs`: the segment layer alone on a JSON Lines corpus (`title`,
/// `text`): segment build speed, index size by file kind, stored-fields compression by block
/// size and zstd level, and postings decoding speed. Tokenization here is a plain ASCII
/// lowercase split, timed separately: the analyzer is not part of this measurement.
struct IndexCodecBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "index-codecs",
    abstract: "Segment writing, sizes, stored-field compression, postings decoding.")

  @Option(help: "JSON Lines corpus with title and text.")
  var jsonl = "../shared/eval/scifact/corpus.jsonl"

  @Option(help: "Instead: a TSV corpus `id<TAB>text` (as from peers.py extract); body text, id keyword.")
  var tsv: String?

  @Flag(help: "Skip the table of stored-field block sizes and levels.")
  var skipStoreTable = false

  @Option(help: "Repetitions of the build (the best is reported).")
  var reps = 3

  @Flag(help: "Only the segment build (for profiling).")
  var buildOnly = false

  func run() throws {
    var docs: [(title: [UInt8], text: [UInt8])] = []
    var ids: [[UInt8]] = []
    if let tsv {
      let data = try Data(contentsOf: URL(fileURLWithPath: tsv))
      for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
        let parts = line.split(separator: UInt8(ascii: "\t"), maxSplits: 1, omittingEmptySubsequences: false)
        ids.append(Array(parts[0]))
        docs.append(([], parts.count > 1 ? Array(parts[1]) : []))
      }
    } else {
      let data = try Data(contentsOf: URL(fileURLWithPath: jsonl))
      for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
        let obj = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
        docs.append(
          (Array(((obj["title"] as? String) ?? "").utf8), Array(((obj["text"] as? String) ?? "").utf8)))
        ids.append(Array("doc-\(ids.count)".utf8))
      }
    }
    let textBytes = docs.reduce(0) { $0 + $1.title.count + $1.text.count }
    let mb = Double(textBytes) / 1e6
    print("corpus: \(docs.count) docs, \(String(format: "%.2f", mb)) MB of text")

    let schema = FieldSchema.standard
    var t0 = Date()
    var prepared: [SegmentDocument] = []
    for (i, d) in docs.enumerated() {
      var doc = SegmentDocument(schema: schema)
      tokenize(d.title, into: &doc.text[0])
      tokenize(d.text, into: &doc.text[2])
      doc.keywords[4] = [ids[i]]
      doc.stored = d.title + [10] + d.text
      prepared.append(doc)
    }
    let tokenizeTime = Date().timeIntervalSince(t0)
    let tokens = prepared.reduce(0) { $0 + $1.text[0].count + $1.text[2].count }
    print("tokenize: \(tokens) tokens, \(fmt(mb / tokenizeTime)) MB/s")

    var best = Double.infinity
    var addBest = Double.infinity
    var dir = MemoryDirectory()
    var ram = 0
    var breakdown: [(String, Int)] = []
    for _ in 0..<reps {
      dir = MemoryDirectory()
      t0 = Date()
      let w = SegmentWriter(schema: schema)
      for d in prepared { w.add(d) }
      let added = Date()
      ram = w.ramBytesUsed
      if breakdown.isEmpty { breakdown = w._ramBreakdown }
      _ = try w.flush(to: dir, name: "s")
      let end = Date()
      best = min(best, end.timeIntervalSince(t0))
      addBest = min(addBest, added.timeIntervalSince(t0))
    }
    print(
      "segment build (add + flush, one thread): \(fmt(mb / best)) MB/s of text (add alone \(fmt(mb / addBest)) MB/s)"
    )
    print(
      "writer RAM before flush: \(fmt(Double(ram) / 1e6)) MB (\(fmt(Double(ram) / Double(textBytes) * 100)) % of text)"
    )

    print("  " + breakdown.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
    if buildOnly { return }
    var sizes: [String: Int] = [:]
    for name in try dir.listAll() {
      sizes[String(name.split(separator: ".").last!)] = try dir.fileLength(name)
    }
    let postings = ["doc", "pos", "dict", "norm", "num", "si"].reduce(0) { $0 + (sizes[$1] ?? 0) }
    for (k, v) in sizes.sorted(by: { $0.key < $1.key }) {
      print("  .\(k): \(v) bytes (\(fmt(Double(v) / Double(textBytes) * 100)) % of text)")
    }
    print("postings + dictionary + norms: \(fmt(Double(postings) / Double(textBytes) * 100)) % of text")
    print("stored fields: \(fmt(Double(sizes["store"] ?? 0) / Double(textBytes) * 100)) % of text")

    // Postings decoding.
    let reader = try SegmentReader.open(in: dir, segment: "s")
    t0 = Date()
    var postingsCount = 0
    var it = reader.allTerms()
    var checksum: UInt64 = 0
    var dfOne = 0
    var dfSmall = 0
    while it.next() {
      if it.info.docFreq == 1 { dfOne += 1 }
      if it.info.docFreq < 4 { dfSmall += 1 }
      var c = reader.postings(field: it.field, info: it.info)
      while c.doc != PostingsCursor.noMoreDocs {
        checksum &+= UInt64(c.doc) &+ UInt64(c.freq)
        postingsCount += 1
        c.next()
      }
    }
    let decode = Date().timeIntervalSince(t0)
    print("terms: \(reader.termCount), of which df 1: \(dfOne), df < 4: \(dfSmall)")
    print(
      "postings decode (doc+freq, all terms): \(fmt(Double(postingsCount) / decode / 1e6)) M postings/s [\(checksum % 10)]"
    )
    // Intersections of frequent terms (leapfrog with advance), and block-max skipping.
    var frequent: [(df: UInt32, info: TermInfo)] = []
    var fit = reader.terms(field: 2)
    while fit.next() { frequent.append((fit.info.docFreq, fit.info)) }
    frequent.sort { $0.df > $1.df }
    let top = Array(frequent.prefix(40))
    var pairs = 0
    var hits = 0
    t0 = Date()
    for _ in 0..<5 {
      for i in 0..<top.count {
        for j in (i + 1)..<top.count where (i + j) % 3 == 0 {
          var a = reader.postings(field: 2, info: top[i].info)
          var b = reader.postings(field: 2, info: top[j].info)
          var d = a.doc
          while d != PostingsCursor.noMoreDocs {
            let e = b.advance(to: d)
            if e == d {
              hits += 1
              d = a.next()
            } else {
              d = a.advance(to: e)
            }
          }
          pairs += 1
        }
      }
    }
    let andTime = Date().timeIntervalSince(t0)
    let andMicros = fmt(andTime / Double(pairs) * 1e6)
    let range = "df \(top.last!.df)...\(top[0].df)"
    print("AND of two frequent terms (\(range)): \(andMicros) µs each [\(hits % 10)]")
    t0 = Date()
    var positionsRead = 0
    for (_, info) in top {
      var c = reader.postings(field: 2, info: info)
      while c.doc != PostingsCursor.noMoreDocs {
        positionsRead += c.withPositions { $0.count }
        c.next()
      }
    }
    let posTime = Date().timeIntervalSince(t0)
    let positionRate = fmt(Double(positionsRead) / posTime / 1e6)
    print("positions of the 40 most frequent terms: \(positionRate) M positions/s")
    t0 = Date()
    try reader.verify()
    print("verify(): \(fmt(Date().timeIntervalSince(t0) * 1000)) ms")

    // Merge: four segments of a quarter each, with 10 % of the docs deleted, into one.
    let mergeDir = MemoryDirectory()
    var parts: [SegmentReader] = []
    let quarter = (prepared.count + 3) / 4
    for q in 0..<4 {
      let w = SegmentWriter(schema: schema)
      for d in prepared[min(q * quarter, prepared.count)..<min((q + 1) * quarter, prepared.count)] {
        w.add(d)
      }
      let info = try w.flush(to: mergeDir, name: "q\(q)")
      var dels = DeletionSet(docCount: info.docCount)
      for d in stride(from: UInt32(0), to: info.docCount, by: 10) { dels.delete(d) }
      try dels.write(to: mergeDir, segment: "q\(q)", segmentID: info.id, generation: 1)
      parts.append(try SegmentReader.open(in: mergeDir, segment: "q\(q)", deletionGeneration: 1))
    }
    for (label, inputs) in [
      ("10 % deleted", parts), ("none deleted", parts.map { $0.withDeletions(nil, generation: nil) }),
    ] {
      t0 = Date()
      let merged = try SegmentMerger.merge(inputs, into: mergeDir, name: "m-\(label.prefix(2))")
      let mergeTime = Date().timeIntervalSince(t0)
      print(
        "merge of 4 segments (\(label)): \(fmt(mergeTime * 1000)) ms, \(fmt(mb / mergeTime)) MB of text/s, "
          + "\(merged.info.docCount) docs")
    }
    if skipStoreTable { return }
    // Stored fields: block size x level.
    print("stored fields (zstd): block KB, level, stored % of raw, compress MB/s, random fetch µs")
    var rng = SystemRandomNumberGenerator()
    let sample = (0..<2000).map { _ in UInt32.random(in: 0..<UInt32(prepared.count), using: &rng) }
    for blockKB in [4, 16, 32, 64] {
      for level: Int32 in [1, 3, 6, 9] {
        let d = MemoryDirectory()
        t0 = Date()
        let w = _StoredFieldsWriter(blockSize: blockKB * 1024, level: level)
        let out = try _IndexFileWriter(d, name: "s.store", kind: "STOR", segmentID: 1)
        for p in prepared { w.add(p.stored) }
        try w.finish(to: out)
        let ct = Date().timeIntervalSince(t0)
        let ratio = Double(w.storedBytes) / Double(w.rawBytes) * 100
        let fw = SegmentWriter(schema: schema, storedBlockSize: blockKB * 1024)
        _ = fw
        // Random access through a real reader: rebuild a segment with that block size is costly,
        // so read the store file directly.
        let f = try d.openInput("s.store")
        t0 = Date()
        var n = 0
        try withExtendedLifetime(f) {
          let r = try _storedReaderForBench(f, docCount: UInt32(prepared.count))
          for doc in sample { n += try r.document(doc).count }
        }
        let ft = Date().timeIntervalSince(t0) / Double(sample.count) * 1e6
        print("  \(blockKB) KB, \(level), \(fmt(ratio)) %, \(fmt(mb / ct)) MB/s, \(fmt(ft)) µs [\(n % 10)]")
      }
    }
  }

  func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

  func tokenize(_ text: [UInt8], into buffer: inout TokenBuffer) {
    var pos: UInt32 = 0
    var word: [UInt8] = []
    word.reserveCapacity(64)
    func flush(_ buffer: inout TokenBuffer) {
      if !word.isEmpty {
        buffer.append(word, position: pos)
        pos += 1
        word.removeAll(keepingCapacity: true)
      }
    }
    for b in text {
      if (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || b >= 0x80 {
        word.append(b)
      } else if b >= 0x41 && b <= 0x5A {
        word.append(b | 0x20)
      } else {
        flush(&buffer)
      }
    }
    flush(&buffer)
  }
}
