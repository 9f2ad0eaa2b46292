import Foundation

/// A file of queries for batch search and evaluation: TSV `id<TAB>query` (a header line
/// `query-id...` or `qid...` is skipped) or JSON Lines `{"_id": ..., "text": ...}`.
package enum QueryFile {
  package static func read(_ path: String) throws(DossierError) -> [(id: String, text: String)] {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw .io(path: path, message: "cannot read the queries: \(error.localizedDescription)")
    }
    var out: [(String, String)] = []
    for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
      if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
      if line.hasPrefix("{") {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let id = (object["_id"] as? String) ?? (object["id"] as? String)
            ?? (object["_id"] as? Int).map(String.init),
          let query = (object["text"] as? String) ?? (object["query"] as? String)
        else { throw .invalidArgument("\(path):\(n + 1): a JSON line needs \"_id\" and \"text\"") }
        out.append((id, query))
      } else {
        let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .invalidArgument("\(path):\(n + 1): expected id<TAB>query") }
        if n == 0 && (parts[0] == "query-id" || parts[0] == "qid" || parts[0] == "id") { continue }
        out.append((String(parts[0]), String(parts[1])))
      }
    }
    return out
  }
}
