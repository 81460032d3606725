using System.Text.Json;
using ActorScheduler.Commands;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorScheduler.Cli.Rendering;

/// <summary>
/// The non-progress views (<see cref="OutputViews"/>) as Spectre renderables or plain lines. Every value goes in as
/// <see cref="Text"/>, never as markup: host data such as "[x]" must print as it is.
/// </summary>
internal static class Views
{
    private const int ColumnGap = 2;

    /// <summary>
    /// A table with the property names themselves as headers (not prettified), so what a table shows is what
    /// <c>--json</c> gives to jq. Cells wrap at spaces to fit <paramref name="width"/>; a table that would still be
    /// wider, so that ids and times would be cut mid-word, is shown as one record per row instead.
    /// </summary>
    public static IRenderable Table(Output output, int width)
    {
        var rows = output.Rows().ToList();
        var columns = CellText.Columns(output.Columns, rows);
        var cells = rows.Select(row => columns.Select(c => CellText.Property(row, c)).ToList()).ToList();
        return NarrowestWidth(columns, cells) <= width ? Grid(columns, cells) : Records(columns, cells);
    }

    /// <summary>One line per row, its values joined with " | " (pbm's member list), then the footer.</summary>
    public static IEnumerable<string> Lines(Output output)
    {
        var rows = output.Rows().ToList();
        var columns = CellText.Columns(output.Columns, rows);
        foreach (var row in rows)
            yield return row.ValueKind == JsonValueKind.Object
                ? string.Join(" | ", columns.Select(c => CellText.Property(row, c)))
                : CellText.Of(row);
        if (!string.IsNullOrEmpty(output.Footer))
            yield return output.Footer;
    }

    /// <summary>A two-column grid: property, value (nested values as compact JSON).</summary>
    public static IRenderable Object(JsonElement data) => data.ValueKind == JsonValueKind.Object
        ? PropertyGrid(data.EnumerateObject().Select(p => (p.Name, CellText.Of(p.Value))))
        : new Text(CellText.Of(data));

    public static string Text(JsonElement data) => CellText.Of(data);

    /// <summary>No rules and two spaces between columns (as kubectl lays out): on 80 columns a border costs values room.</summary>
    private static Table Grid(IReadOnlyList<string> columns, List<List<string>> cells)
    {
        var table = new Table { Border = TableBorder.None };
        foreach (var column in columns)
            table.AddColumn(new TableColumn(new Text(column)) { Padding = new Padding(0, 0, ColumnGap, 0) });
        foreach (var row in cells)
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)));
        return table;
    }

    private static Rows Records(IReadOnlyList<string> columns, List<List<string>> cells)
    {
        var records = new List<IRenderable>();
        foreach (var row in cells)
        {
            if (records.Count > 0)
                records.Add(new Text("")); // a blank line between records
            records.Add(PropertyGrid(columns.Zip(row)));
        }
        return new Rows(records);
    }

    private static Grid PropertyGrid(IEnumerable<(string Name, string Value)> properties)
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn { NoWrap = true, Padding = new Padding(0, 0, ColumnGap, 0) });
        grid.AddColumn(new GridColumn());
        foreach (var (name, value) in properties)
            grid.AddRow(new Text(name), new Text(value));
        return grid;
    }

    /// <summary>The width the table needs when every cell wraps at its spaces: its longest word per column.</summary>
    private static int NarrowestWidth(IReadOnlyList<string> columns, List<List<string>> cells) =>
        columns.Select((column, i) => cells.Select(row => row[i]).Append(column).Max(LongestWord) + ColumnGap).Sum();

    private static int LongestWord(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Length).DefaultIfEmpty(0).Max();
}
