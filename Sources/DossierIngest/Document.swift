/// A report as ingestion extracted it: the unit that analysis and the index work on.
///
/// A `Document` is a plain value. Ingestion builds one per HTML or text file and one per
/// JSON Lines record; scripts may also build them directly.
///
/// ```swift
/// let doc = Document(id: "notes/kenya.txt", type: .text, title: "Safe City in Nairobi",
///                    blocks: ["Nairobi's camera network went live in 2015."])
/// ```
public struct Document: Sendable, Hashable, Codable {
  /// The stable id: the path relative to the folder the file was found under, the file name
  /// for a file named directly, or the `id` a JSON Lines record gives.
  public var id: String
  /// What kind of source the document came from.
  public var type: DocumentType
  /// The source file's path as the walker saw it (nil for standard input).
  public var path: String?
  /// The character encoding the source was decoded from (WHATWG-style name, e.g. "utf-8").
  public var encoding: String?
  public var title: String
  /// Metadata by key: `author`, `description`, `keywords`, `date` (ISO 8601 as found),
  /// `lang`, `url`, plus any extra string metadata a JSON Lines record carries.
  public var metadata: [String: String]
  public var headings: [Heading]
  /// Body text as blocks (paragraphs, list items, table cells, preformatted text), each with
  /// whitespace normalized.
  public var blocks: [String]
  /// Problems that did not stop extraction (decoding repairs, truncation, recovered markup).
  public var warnings: [String]

  public init(
    id: String, type: DocumentType, path: String? = nil, encoding: String? = nil,
    title: String, metadata: [String: String] = [:], headings: [Heading] = [],
    blocks: [String] = [], warnings: [String] = []
  ) {
    self.id = id
    self.type = type
    self.path = path
    self.encoding = encoding
    self.title = title
    self.metadata = metadata
    self.headings = headings
    self.blocks = blocks
    self.warnings = warnings
  }

  /// The body as one string, blocks separated by blank lines. O(total text).
  public var bodyText: String { blocks.joined(separator: "\n\n") }
}

/// A section heading and its level (1 for `<h1>` or `#`).
public struct Heading: Sendable, Hashable, Codable {
  public var level: Int
  public var text: String
  public init(level: Int, text: String) {
    self.level = level
    self.text = text
  }
}

/// The kinds of source Dossier understands.
public enum DocumentType: String, Sendable, Hashable, Codable, CaseIterable {
  case html
  case text
  case markdown
  case jsonl
}
