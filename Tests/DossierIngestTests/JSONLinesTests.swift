import DossierTestSupport
import Testing

@testable import DossierIngest

@Suite("JSON Lines")
struct JSONLinesTests {
  @Test func readsDocumentsAndReportsBadLinesWithTheirNumbers() {
    let input = """
      {"id":"a","title":"First","text":"One.\\n\\nTwo.","url":"https://x.example/a","date":"2021-05-01","author":"R","lang":"en"}
      not json at all
      {"title":"no id","text":"x"}

      {"id":"b","text":"no title here"}
      {"id":"c"}
      [1,2]
      {"id":"d","text":5}
      {"id":"e","text":"meta","metadata":{"region":"Africa","score":3}}
      """
    let (docs, problems) = JSONLinesReader.read(Array(input.utf8), path: "in.jsonl")
    #expect(docs.map(\.id) == ["a", "b", "e"])
    #expect(docs[0].title == "First")
    #expect(docs[0].blocks == ["One.", "Two."])
    #expect(
      docs[0].metadata == ["url": "https://x.example/a", "date": "2021-05-01", "author": "R", "lang": "en"])
    #expect(docs[1].title == "b")
    #expect(docs[2].metadata == ["region": "Africa"])
    #expect(docs[2].warnings == ["metadata \"score\" is not a string; ignored"])
    #expect(
      problems == [
        LineProblem(line: 2, reason: "not valid JSON"),
        LineProblem(line: 3, reason: "missing \"id\""),
        LineProblem(line: 6, reason: "missing \"text\""),
        LineProblem(line: 7, reason: "not a JSON object"),
        LineProblem(line: 8, reason: "\"text\" must be a string"),
      ])
  }

  @Test func numericIdsAndDuplicateIds() {
    let input = "{\"id\":7,\"text\":\"a\"}\n{\"id\":\"7\",\"text\":\"b\"}\n"
    let (docs, problems) = JSONLinesReader.read(Array(input.utf8), path: nil)
    #expect(problems.isEmpty)
    #expect(docs.map(\.id) == ["7", "7"])
    #expect(docs[1].warnings.first?.contains("line 1") == true)
  }

  @Test func invalidUTF8IsRepairedNotDropped() {
    var bytes = Array("{\"id\":\"x\",\"text\":\"caf".utf8)
    bytes += [0xE9]
    bytes += Array("\"}".utf8)
    let (docs, problems) = JSONLinesReader.read(bytes, path: nil)
    #expect(problems.isEmpty)
    #expect(docs.first?.blocks == ["caf\u{FFFD}"])
    #expect(docs.first?.warnings.isEmpty == false)
  }

  @Test func crlfAndBOM() {
    let bytes: [UInt8] =
      [0xEF, 0xBB, 0xBF] + Array("{\"id\":\"a\",\"text\":\"t\"}\r\n{\"id\":\"b\",\"text\":\"u\"}".utf8)
    let (docs, problems) = JSONLinesReader.read(bytes, path: nil)
    #expect(problems.isEmpty)
    #expect(docs.map(\.id) == ["a", "b"])
  }
}
