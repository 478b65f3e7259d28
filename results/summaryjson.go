package results

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// summaryJSON is the shape of summary.json. Field names are a contract.
type summaryJSON struct {
	Title       string           `json:"title,omitempty"`
	PlanHash    string           `json:"plan_hash,omitempty"`
	Plan        *Plan            `json:"plan,omitempty"`
	Env         *Env             `json:"env,omitempty"`
	Rows        []SummaryRow     `json:"rows"`
	Variants    []VariantSummary `json:"variants"`
	Calibration []CalibrationRow `json:"calibration,omitempty"`
	Variance    []VarianceRow    `json:"variance,omitempty"`
	Warnings    []string         `json:"warnings"`
}

// RenderJSON writes the report as summary.json: an object with "rows"
// (one SummaryRow per config and variant), "variants", "plan", "plan_hash"
// and "env" when the data came with a header, "calibration" when known,
// and "warnings". Numbers are unscaled. JSON has no NaN or infinity, so a
// value that could not be computed is written as null, and a warning
// names every such field: the file always encodes, and a reader is told
// why a number is missing.
func RenderJSON(w io.Writer, r Report) error {
	s := summaryJSON{
		Title:       r.Title,
		Rows:        r.Rows,
		Variants:    r.Variants,
		Calibration: r.Calibration,
		Variance:    r.Variance,
		Warnings:    append([]string{}, r.Warnings...),
	}
	if s.Rows == nil {
		s.Rows = []SummaryRow{}
	}
	if s.Variants == nil {
		s.Variants = []VariantSummary{}
	}
	if r.Header != nil {
		s.PlanHash = r.Header.PlanHash
		s.Plan = &r.Header.Plan
		s.Env = &r.Header.Env
	}
	var nulls []string
	v := toJSONValue(reflect.ValueOf(s), "", &nulls)
	if len(nulls) > 0 {
		const show = 5
		msg := fmt.Sprintf("%d value(s) could not be computed and are null: %s", len(nulls), strings.Join(nulls[:min(show, len(nulls))], ", "))
		if len(nulls) > show {
			msg += ", ..."
		}
		v.(*object).set("warnings", append(s.Warnings, msg))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// object is a JSON object that keeps its keys in struct declaration order,
// which map[string]any would not.
type object struct {
	keys []string
	vals []any
}

func (o *object) set(k string, v any) {
	for i, kk := range o.keys {
		if kk == k {
			o.vals[i] = v
			return
		}
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

// MarshalJSON writes the keys in order.
func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// toJSONValue converts v into values encoding/json can always encode,
// following json struct tags (names, omitempty, "-"), with every
// non-finite float replaced by nil and its path recorded in nulls.
func toJSONValue(v reflect.Value, path string, nulls *[]string) any {
	if !v.IsValid() {
		return nil
	}
	t := v.Type()
	if t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType) {
		return v.Interface() // e.g. time.Time, time.Duration is an int
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			*nulls = append(*nulls, path)
			return nil
		}
		return f
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return toJSONValue(v.Elem(), path, nulls)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = toJSONValue(v.Index(i), path+"["+strconv.Itoa(i)+"]", nulls)
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			k := fmt.Sprint(iter.Key().Interface())
			out[k] = toJSONValue(iter.Value(), path+"."+k, nulls)
		}
		// Paths are recorded in map order; sort this map's share so the
		// warning is the same on every run.
		sortTail(*nulls, path+".")
		return out
	case reflect.Struct:
		o := &object{}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			fv := v.Field(i)
			if strings.Contains(","+opts+",", ",omitempty,") && isEmptyValue(fv) {
				continue
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			o.set(name, toJSONValue(fv, p, nulls))
		}
		return o
	}
	return v.Interface()
}

// isEmptyValue mirrors encoding/json's omitempty: false, 0, nil and empty
// strings, slices and maps are empty; structs never are.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.String, reflect.Array:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// sortTail sorts the trailing entries of s that start with prefix.
func sortTail(s []string, prefix string) {
	i := len(s)
	for i > 0 && strings.HasPrefix(s[i-1], prefix) {
		i--
	}
	tail := s[i:]
	for a := 1; a < len(tail); a++ {
		for b := a; b > 0 && tail[b] < tail[b-1]; b-- {
			tail[b], tail[b-1] = tail[b-1], tail[b]
		}
	}
}
