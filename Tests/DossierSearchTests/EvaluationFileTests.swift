import DossierTestSupport
import Foundation
import Testing

@testable import DossierSearch

// Reading qrels and runs: both qrels layouts, and clear errors for everything else.

@Test func readsBEIRAndTRECQrels() throws {
  let tsv = try Qrels(parsing: "query-id\tcorpus-id\tscore\n1\t31715818\t1\n1\t42\t0\n\n3\tx\t2\r\n")
  #expect(tsv.judgments == ["1": ["31715818": 1, "42": 0], "3": ["x": 2]])
  let trec = try Qrels(parsing: "1 0 184 2\n1 0 29 -1\n2\t0\td 4\n")
  #expect(trec.judgments == ["1": ["184": 2, "29": -1], "2": ["d": 4]])
  // Without the header, three fields are still query, document, grade.
  #expect(try Qrels(parsing: "q d 1").judgments == ["q": ["d": 1]])
}

@Test func readsRuns() throws {
  let run = try TrecRun(
    parsing: "1 Q0 51 1 11.678000 Anserini\n1 Q0 486 2 11.0572 Anserini\n2 Q0 x 1 -3e-2\n")
  #expect(run.hits["1"] == [.init(document: "51", score: 11.678), .init(document: "486", score: 11.0572)])
  #expect(run.hits["2"] == [.init(document: "x", score: -0.03)])
}

@Test(arguments: [
  ("1 Q0 51 1\n", "line 1: expected 'qid Q0 docid rank score tag', found 4 fields"),
  ("1 Q0 51 1 1.0 t\n1 Q0 52 2 high t\n", "line 2: score 'high' is not a finite number"),
  ("1 Q0 51 1 nan t\n", "line 1: score 'nan' is not a finite number"),
  ("1 Q0 51 1 2 t\n\n1 Q0 51 2 1 t\n", "line 3: document 51 is listed twice for query 1"),
])
func rejectsMalformedRuns(_ text: String, _ message: String) {
  #expect(throws: EvaluationError.self) { try TrecRun(parsing: text) }
  do { _ = try TrecRun(parsing: text) } catch { #expect(error.description == message) }
}

@Test(arguments: [
  (
    "query-id\tcorpus-id\tscore\n1\t2\n",
    "line 2: expected 'query-id corpus-id score' or 'qid 0 docid rel', found 2 fields"
  ),
  ("1 0 d x\n", "line 1: relevance grade 'x' is not an integer"),
  ("1 0 d 1\n1 0 d 0\n", "line 2: document d is judged twice for query 1"),
])
func rejectsMalformedQrels(_ text: String, _ message: String) {
  do {
    _ = try Qrels(parsing: text)
    Issue.record("expected an error")
  } catch { #expect(error.description == message) }
}

@Test func refusesGzipAndMissingFilesWithAdvice() throws {
  let folder = try TempFolder()
  let gz = folder.path + "/run.gz"
  try [UInt8]([0x1F, 0x8B, 8, 0]).withUnsafeBufferPointer { buffer in
    try Data(buffer: buffer).write(to: URL(fileURLWithPath: gz))
  }
  do {
    _ = try TrecRun(contentsOfFile: gz)
    Issue.record("expected an error")
  } catch {
    #expect(error.description == "\(gz): is gzip-compressed; decompress it first (gunzip -k \(gz))")
  }
  do {
    _ = try Qrels(contentsOfFile: folder.path + "/none.tsv")
    Issue.record("expected an error")
  } catch {
    #expect(error.description == "\(folder.path)/none.tsv: cannot read the file")
  }
  let bad = try folder.write("bad.run", "1 Q0 a 1 1 t\nbroken\n")
  do {
    _ = try TrecRun(contentsOfFile: bad)
    Issue.record("expected an error")
  } catch {
    #expect(error.description == "\(bad):2: expected 'qid Q0 docid rank score tag', found 1 fields")
  }
}
