package io.kerbside.registry.parse;

import io.kerbside.registry.AssetColumns;
import io.kerbside.registry.parse.AssetListReader.RawRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 4180 CSV with a header row: quoted fields may hold commas, quotes ({@code ""}) and line
 * breaks; CRLF or LF; a UTF-8 byte-order mark is skipped. Columns are matched by header name, in
 * any order; unknown columns are ignored.
 */
final class CsvRecords {
  private CsvRecords() {}

  static List<RawRecord> read(Reader reader) throws IOException {
    BufferedReader in = new BufferedReader(reader);
    in.mark(1);
    if (in.read() != '\uFEFF') {
      in.reset();
    }
    Row header = row(in, 1);
    if (header == null) {
      throw new MalformedAssetListException("the CSV file is empty; it needs a header row");
    }
    List<String> names = new ArrayList<>();
    for (String h : header.cells()) {
      names.add(h.strip().toLowerCase(Locale.ROOT));
    }
    List<String> missing = AssetColumns.REQUIRED.stream().filter(c -> !names.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new MalformedAssetListException(
          "the CSV header lacks the column(s) " + String.join(", ", missing));
    }
    List<RawRecord> records = new ArrayList<>();
    int line = header.nextLine();
    Row row;
    while ((row = row(in, line)) != null) {
      String position = "line " + line;
      line = row.nextLine();
      if (row.cells().size() == 1 && row.cells().get(0).isBlank()) {
        continue;
      }
      Map<String, String> fields = new HashMap<>();
      for (int i = 0; i < names.size() && i < row.cells().size(); i++) {
        fields.put(names.get(i), row.cells().get(i));
      }
      String problem =
          row.cells().size() != names.size()
              ? "has " + row.cells().size() + " fields, the header " + names.size()
              : row.unterminated() ? "has a quoted field that never ends" : null;
      records.add(new RawRecord(position, fields, problem));
    }
    return records;
  }

  private record Row(List<String> cells, int nextLine, boolean unterminated) {}

  /** Reads one record starting at {@code line}; null at the end of the input. */
  private static Row row(BufferedReader in, int line) throws IOException {
    int c = in.read();
    if (c < 0) {
      return null;
    }
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean startOfCell = true;
    int next = line;
    while (true) {
      if (c < 0) {
        cells.add(cell.toString());
        return new Row(cells, next + 1, quoted);
      }
      char ch = (char) c;
      if (quoted) {
        if (ch == '"') {
          in.mark(1);
          int d = in.read();
          if (d == '"') {
            cell.append('"');
          } else {
            quoted = false;
            if (d >= 0) {
              in.reset();
            }
          }
        } else {
          if (ch == '\n') {
            next++;
          }
          cell.append(ch);
        }
      } else if (ch == '"' && startOfCell) {
        quoted = true;
      } else if (ch == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
        startOfCell = true;
        c = in.read();
        continue;
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r') {
          in.mark(1);
          if (in.read() != '\n') {
            in.reset();
          }
        }
        cells.add(cell.toString());
        return new Row(cells, next + 1, false);
      } else {
        cell.append(ch);
      }
      startOfCell = false;
      c = in.read();
    }
  }
}
