package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"go.yaml.in/yaml/v3"
	"golang.org/x/term"

	"github.com/invapi-go/invapi"
)

// table is a result as rows for the default output.
type table struct {
	header []string
	rows   [][]string
	ids    []string // of the rows added with addID
}

// addID adds a row and keeps id, which --quiet prints instead of the table.
func (t *table) addID(id string, cells ...any) {
	t.add(cells...)
	t.ids = append(t.ids, id)
}

// showRows shows rows (see app.show): as JSON or YAML, as the ids row gave
// t.addID (-q; none when it calls t.add), or as a table under header with
// the line row adds for each.
func showRows[T any](a *app, rows []T, header []string, row func(t *table, x T)) error {
	t := &table{header: header}
	for _, x := range rows {
		row(t, x)
	}
	return a.show(rows, t.ids, t)
}

// orEmpty is list, or an empty list for nil, so that JSON and YAML print
// [] rather than null.
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func (t *table) add(cells ...any) {
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = cell(c)
	}
	t.rows = append(t.rows, row)
}

func cell(v any) string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return "-"
		}
		return strings.ReplaceAll(x, "\n", " ")
	case int:
		return fmt.Sprint(x)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case []string:
		if len(x) == 0 {
			return "-"
		}
		return strings.Join(x, ",")
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// showList prints a list of plain values (addresses, names) as a
// one-column table, as JSON or YAML (an empty list as [], not null), or one
// per line with --quiet.
func (a *app) showList(header string, list []string) error {
	if list == nil {
		list = []string{}
	}
	t := &table{header: []string{header}}
	for _, v := range list {
		t.add(v)
	}
	return a.show(list, list, t)
}

// show prints a result: v as JSON or YAML (the SDK's own types and field
// names), ids alone with --quiet, else the table.
func (a *app) show(v any, ids []string, t *table) error {
	switch {
	case a.output == "json":
		return a.printJSON(v)
	case a.output == "yaml":
		return a.printYAML(v)
	case a.quiet:
		for _, id := range ids {
			fmt.Fprintln(a.stdout, id)
		}
		return nil
	}
	if t == nil {
		return a.printJSON(v)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	if len(t.header) > 0 {
		fmt.Fprintln(tw, strings.Join(t.header, "\t"))
	}
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// eurCell is a price in euros for a table: "-" where there is none.
func eurCell(m invapi.Money, ok bool) string {
	if !ok {
		return "-"
	}
	return m.String() + " EUR"
}

// showMap prints answer fields the SDK keeps as a map, one per line.
func (a *app) showMap(m map[string]string) error {
	t := &table{}
	for k, v := range m {
		t.add(k+":", v)
	}
	return a.show(m, nil, t)
}

// fields is a two-column table of one object.
func fields(kv ...any) *table {
	t := &table{}
	for i := 0; i+1 < len(kv); i += 2 {
		t.add(fmt.Sprint(kv[i])+":", kv[i+1])
	}
	return t
}

func (a *app) printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.stdout, "%s\n", b)
	return err
}

// printYAML prints v as YAML with the same field names and order as JSON:
// JSON is YAML, so the JSON is parsed as a YAML document and printed in
// block style.
func (a *app) printYAML(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return err
	}
	blockStyle(&doc)
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	_, err = a.stdout.Write(out.Bytes())
	return err
}

func blockStyle(n *yaml.Node) {
	n.Style = 0 // block style, plain scalars (the encoder quotes what would read back differently)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && yaml11Bool[strings.ToLower(n.Value)] {
		n.Style = yaml.DoubleQuotedStyle // "on", "off", "yes": booleans to YAML 1.1 readers
	}
	for _, c := range n.Content {
		blockStyle(c)
	}
}

var yaml11Bool = map[string]bool{"on": true, "off": true, "yes": true, "no": true, "y": true, "n": true, "true": true, "false": true}

// promptSecret reads a secret from the terminal without echo.
func (a *app) promptSecret(prompt string) (string, error) {
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usagef("cannot ask for %s: not a terminal", strings.TrimSuffix(prompt, ": "))
	}
	if p := a.progress; p != nil {
		p.pause()
		defer p.resume()
	}
	fmt.Fprint(a.stderr, prompt)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// printRaw prints an answer the SDK keeps as raw JSON.
func (a *app) printRaw(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		_, err := fmt.Fprintf(a.stdout, "%s\n", b)
		return err
	}
	if a.output == "yaml" {
		return a.printYAML(v)
	}
	return a.printJSON(v)
}
