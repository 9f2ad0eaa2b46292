import DossierTestSupport
import Foundation
import Testing

/// Every bundled sample extracts with a real title, some text, and none of the page furniture
/// that saved web pages carry (the furniture phrases are listed in Samples/README.md).
@Suite("Samples extract cleanly")
struct SamplesExtractionTests {
  static let furniturePhrases = [
    "Skip to main content", "Accept all cookies", "Subscribe to our newsletter", "All rights reserved",
    "Share this page", "Support our work", "Related reading",
  ]

  static func extractAll() throws -> CLIRunner.Output {
    try CLIRunner.run(["extract", "--json", "Samples/reports"])
  }

  @Test func everySampleExtracts() throws {
    let out = try Self.extractAll()
    #expect(out.status == 0, "stderr: \(out.stderr)")
    let docs = out.jsonLines
    #expect(docs.count >= 50)
    for doc in docs {
      let id = doc["id"] as? String ?? "?"
      let title = doc["title"] as? String ?? ""
      let blocks = doc["blocks"] as? [String] ?? []
      #expect(!title.isEmpty && title != id && title.count < 200, "\(id): title \(title)")
      #expect(!blocks.isEmpty, "\(id): no text")
      #expect(doc["error"] == nil, "\(id)")
    }
  }

  @Test func noFurnitureTextInAnySample() throws {
    let out = try Self.extractAll()
    for doc in out.jsonLines {
      let id = doc["id"] as? String ?? "?"
      let headings = (doc["headings"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
      let text = ([doc["title"] as? String ?? ""] + headings + (doc["blocks"] as? [String] ?? []))
        .joined(separator: "\n")
      for phrase in Self.furniturePhrases {
        #expect(!text.localizedCaseInsensitiveContains(phrase), "\(id) contains furniture: \(phrase)")
      }
    }
  }

  @Test func keepBoilerplateBringsTheFurnitureBack() throws {
    let out = try CLIRunner.run([
      "extract", "--json", "--keep-boilerplate", "Samples/reports/safe-city-nairobi.html",
    ])
    #expect(out.status == 0)
    let text = (out.jsonLines.first?["blocks"] as? [String] ?? []).joined(separator: "\n")
    #expect(Self.furniturePhrases.contains { text.contains($0) })
  }
}
