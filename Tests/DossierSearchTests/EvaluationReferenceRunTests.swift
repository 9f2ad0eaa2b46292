import DossierTestSupport
import Foundation
import Testing

@testable import DossierSearch

// The check of record: on the reference runs of ../shared/eval, the evaluator must give the
// numbers of ../shared/eval/evaluate.py (ir-measures on trec_eval's code) to four decimals.
// The expected numbers below were printed by
//   /tmp/venv-eval/bin/python ../shared/eval/evaluate.py --qrels …/qrels.tsv --run <gunzipped run>
// (ir-measures 0.4.3, pytrec-eval-terrier 0.5.11); the full-precision values come from the same
// script's evaluate() function on the same files.

let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
/// The data is outside the repository: skip without it, except under CI, where absence fails.
let evalDataAvailable = FileManager.default.fileExists(atPath: evalDataFolder + "/README.md") || isCI

struct ReferenceRun: Sendable, CustomTestStringConvertible {
  let collection: String
  let run: String
  let judgedQueries: Int
  let printed: [String: String]
  let full: EvaluationReport.Scores
  var testDescription: String { collection }
}

let referenceRuns: [ReferenceRun] = [
  ReferenceRun(
    collection: "scifact", run: "anserini-bm25-flat.run.gz", judgedQueries: 300,
    printed: ["nDCG@10": "0.6789", "AP": "0.6401", "R@100": "0.9253", "R@1000": "0.9767", "P@10": "0.0883"],
    full: .init(
      ndcg10: 0.6789094274508308, averagePrecision: 0.6401084449637032, precision10: 0.08833333333333362,
      recall100: 0.9253333333333335, recall1000: 0.9766666666666667)),
  ReferenceRun(
    collection: "cranfield", run: "anserini-bm25.run.gz", judgedQueries: 225,
    printed: ["nDCG@10": "0.3220", "AP": "0.2879", "R@100": "0.7224", "R@1000": "0.9518", "P@10": "0.2227"],
    full: .init(
      ndcg10: 0.32202294738176435, averagePrecision: 0.28792956658481395, precision10: 0.22266666666666682,
      recall100: 0.7224150935732462, recall1000: 0.9517860726782295)),
]

/// Decompresses a .gz file with /bin/gzip into the folder and returns the new file's path.
func gunzip(_ path: String, into folder: TempFolder) throws -> String {
  let output = folder.path + "/" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
  _ = FileManager.default.createFile(atPath: output, contents: nil)
  let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
  defer { try? handle.close() }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/gzip")
  process.arguments = ["-dc", path]
  process.standardOutput = handle
  try process.run()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw EvaluationError(message: "gzip failed with status \(process.terminationStatus)", path: path)
  }
  return output
}

@Test(.enabled(if: evalDataAvailable, "needs ../shared/eval"), arguments: referenceRuns)
func matchesEvaluatePyOnReferenceRuns(_ reference: ReferenceRun) throws {
  let folder = try TempFolder()
  let base = evalDataFolder + "/" + reference.collection
  let qrels = try Qrels(contentsOfFile: base + "/qrels.tsv")
  let runFile = try gunzip(base + "/" + reference.run, into: folder)
  let report = EvaluationReport(run: try TrecRun(contentsOfFile: runFile), qrels: qrels)
  #expect(report.judgedQueries == reference.judgedQueries)
  #expect(report.queriesInRun == reference.judgedQueries)
  for (name, value) in report.mean.named {
    #expect(String(format: "%.4f", value) == reference.printed[name], "\(name)")
  }
  for ((name, value), (_, expected)) in zip(report.mean.named, reference.full.named) {
    #expect(abs(value - expected) < 1e-9, "\(name): \(value) vs \(expected)")
  }
  // The compressed run itself is refused with advice, never misread.
  #expect(throws: EvaluationError.self) { try TrecRun(contentsOfFile: base + "/" + reference.run) }
}
