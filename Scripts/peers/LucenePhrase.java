// Dossier's phrase-query peer for `dossier-bench search --lucene`: Lucene 8 from Debian's
// liblucene8-java indexes the benchmark corpus and answers each query line as one exact
// phrase, top 10, so that our phrase latency has a peer measured in the same sitting.
//
//   index  <docs.tsv> <indexDir>
//          one document per line `id<TAB>text`; the text in a positions-indexed field "body"
//          analyzed by StandardAnalyzer without stopwords (as ../shared/bench indexes it for
//          Lucene); one segment at the end, as the Dossier side force-merges too.
//   phrase <indexDir> <queries.txt> <warmupPasses> <runs> <out.tsv>
//          per query line: its words through the same analyzer, a PhraseQuery with each word at
//          its position, IndexSearcher.search(query, 10); writes one line per query, the number
//          of hits then each timed run in microseconds.
//
// Build: javac -cp <lucene-core jar>:<lucene-analyzers-common jar> -d <classes> LucenePhrase.java
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.MMapDirectory;

public final class LucenePhrase {
  private static final Analyzer ANALYZER = new StandardAnalyzer(CharArraySet.EMPTY_SET);

  public static void main(String[] args) throws IOException {
    switch (args.length > 0 ? args[0] : "") {
      case "index" -> buildIndex(Paths.get(args[1]), Paths.get(args[2]));
      case "phrase" -> timePhrases(
          Paths.get(args[1]), Paths.get(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Paths.get(args[5]));
      default -> {
        System.err.println("usage: index <docs.tsv> <indexDir> | phrase <indexDir> <queries> <warmup> <runs> <out>");
        System.exit(2);
      }
    }
  }

  private static void buildIndex(Path corpus, Path folder) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(ANALYZER).setRAMBufferSizeMB(256)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    long count = 0;
    try (FSDirectory dir = FSDirectory.open(folder); IndexWriter writer = new IndexWriter(dir, config);
        BufferedReader lines = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      Document doc = new Document();
      TextField body = new TextField("body", "", Field.Store.NO);
      doc.add(body);
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        int tab = line.indexOf('\t');
        if (tab < 0) continue;
        body.setStringValue(line.substring(tab + 1));
        writer.addDocument(doc);
        count++;
      }
      writer.forceMerge(1);
      writer.commit();
    }
    System.out.println("{\"documents\": " + count + "}");
  }

  /** The query line as a phrase: each analyzed word at its position. */
  private static Query phrase(String text) throws IOException {
    PhraseQuery.Builder builder = new PhraseQuery.Builder();
    try (TokenStream stream = ANALYZER.tokenStream("body", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
      stream.reset();
      int position = -1;
      while (stream.incrementToken()) {
        position += increment.getPositionIncrement();
        builder.add(new Term("body", term.toString()), position);
      }
      stream.end();
    }
    return builder.build();
  }

  private static void timePhrases(Path folder, Path queryFile, int warmup, int runs, Path out)
      throws IOException {
    List<String> queries = new ArrayList<>();
    for (String line : Files.readAllLines(queryFile, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) queries.add(line.trim());
    }
    long[][] micros = new long[queries.size()][runs];
    int[] hits = new int[queries.size()];
    try (MMapDirectory dir = new MMapDirectory(folder); DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setQueryCache(null);
      for (int pass = -warmup; pass < runs; pass++) {
        for (int i = 0; i < queries.size(); i++) {
          long start = System.nanoTime();
          TopDocs top = searcher.search(phrase(queries.get(i)), 10);
          long took = System.nanoTime() - start;
          if (pass >= 0) micros[i][pass] = took / 1000;
          hits[i] = top.scoreDocs.length;
        }
      }
    }
    try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      for (int i = 0; i < queries.size(); i++) {
        StringBuilder line = new StringBuilder().append(hits[i]);
        for (long m : micros[i]) line.append('\t').append(m);
        writer.println(line);
      }
    }
    System.out.println(String.format(Locale.ROOT, "{\"queries\": %d}", queries.size()));
  }
}
