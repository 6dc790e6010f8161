package embed

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// Question is one analogy, "A is to B as C is to D" (Athens Greece Baghdad Iraq).
type Question struct {
	Section    string
	Line       int // line number in the file, from 1
	A, B, C, D string
}

// ReadQuestions reads an analogy file in the format of word2vec's questions-words.txt:
// ": section" lines, then one question a line, four words separated by spaces.
func ReadQuestions(path string) ([]Question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("embed: analogy questions: %w (pass questions-words.txt, e.g. from lmkit data get questions-words)", err)
	}
	defer f.Close()
	return ParseQuestions(f, path)
}

// ParseQuestions reads analogy questions from r; name is used in errors. Blank lines are
// skipped; any other line that is neither ": section" nor four words is an error that gives
// its line number.
func ParseQuestions(r io.Reader, name string) ([]Question, error) {
	var qs []Question
	section := "questions"
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, ":"):
			section = strings.TrimSpace(line[1:])
			if section == "" {
				return nil, fmt.Errorf("embed: %s line %d: a section line needs a name after the colon, e.g. \": capital-common-countries\"", name, n)
			}
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return nil, fmt.Errorf("embed: %s line %d: want four words \"A B C D\" (A is to B as C is to D) or a \": section\" line, got %d: %q (fix or delete the line)", name, n, len(f), shorten(line))
		}
		qs = append(qs, Question{Section: section, Line: n, A: f[0], B: f[1], C: f[2], D: f[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("embed: reading %s: %w", name, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("embed: %s holds no questions (want lines of four words, A B C D)", name)
	}
	return qs, nil
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// Method scores a candidate answer D for "A is to B as C is to ?".
type Method int

const (
	// CosAdd is 3CosAdd (Mikolov et al. 2013): the word closest to B - A + C.
	CosAdd Method = iota
	// CosMul is 3CosMul (Levy and Goldberg 2014): cos'(D,B)·cos'(D,C) / (cos'(D,A) + 0.001)
	// with cos' = (cos+1)/2, which keeps one large similarity from drowning the others.
	CosMul
)

func (m Method) String() string {
	if m == CosMul {
		return "3CosMul"
	}
	return "3CosAdd"
}

// score combines the three cosines of a candidate with A, B and C.
func (m Method) score(ca, cb, cc float32) float32 {
	if m == CosMul {
		return ((cb + 1) / 2) * ((cc + 1) / 2) / ((ca+1)/2 + 0.001)
	}
	return cb - ca + cc
}

// Analogy answers "a is to b as c is to ?" (man king woman → queen) with the k best words
// of the whole vocabulary, a, b and c left out. Similarity holds the method's score.
func (v *Vectors) Analogy(a, b, c string, k int, m Method) ([]Neighbor, error) {
	var ids [3]int
	for i, w := range []string{a, b, c} {
		id, err := v.lookup(w)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	u := v.units()
	row := func(i int) []float32 { return u[i*v.Dim : (i+1)*v.Dim] }
	ca, cb, cc := v.scores(row(ids[0]), v.Len()), v.scores(row(ids[1]), v.Len()), v.scores(row(ids[2]), v.Len())
	s := make([]float32, v.Len())
	for i := range s {
		s[i] = m.score(ca[i], cb[i], cc[i])
	}
	return v.top(s, k, func(i int) bool { return i == ids[0] || i == ids[1] || i == ids[2] }), nil
}

// AnalogyOptions set how EvaluateAnalogies scores.
type AnalogyOptions struct {
	// Restrict answers, and questions, to the most frequent words: 0 means 30,000 as the C
	// tool's compute-accuracy and gensim's evaluate_word_analogies do; -1 means no limit.
	Restrict int
}

// AnalogyScore counts the questions of a section (or of several).
type AnalogyScore struct {
	Section     string  `json:"section"`
	Total       int     `json:"total"`        // questions in the file
	Seen        int     `json:"seen"`         // questions whose four words are all in the restricted vocabulary
	Correct     int     `json:"correct"`      // 3CosAdd answers that were D
	CorrectMul  int     `json:"correct_mul"`  // 3CosMul answers that were D
	Accuracy    float64 `json:"accuracy"`     // Correct / Seen, in %
	AccuracyMul float64 `json:"accuracy_mul"` // CorrectMul / Seen, in %
}

func (s *AnalogyScore) add(o AnalogyScore) {
	s.Total += o.Total
	s.Seen += o.Seen
	s.Correct += o.Correct
	s.CorrectMul += o.CorrectMul
}

func (s *AnalogyScore) finish() {
	s.Accuracy, s.AccuracyMul = 0, 0
	if s.Seen > 0 {
		s.Accuracy = 100 * float64(s.Correct) / float64(s.Seen)
		s.AccuracyMul = 100 * float64(s.CorrectMul) / float64(s.Seen)
	}
}

// AnalogyReport is the result of EvaluateAnalogies: each section, and the semantic (the
// sections not named gram*), syntactic (gram*) and overall sums, as compute-accuracy prints.
type AnalogyReport struct {
	Restrict  int            `json:"restrict"`
	Sections  []AnalogyScore `json:"sections"`
	Semantic  AnalogyScore   `json:"semantic"`
	Syntactic AnalogyScore   `json:"syntactic"`
	All       AnalogyScore   `json:"all"`
}

// String prints the report as a table.
func (r AnalogyReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-28s %6s %6s %9s %9s\n", "section", "seen", "total", "3CosAdd%", "3CosMul%")
	line := func(s AnalogyScore) {
		fmt.Fprintf(&b, "%-28s %6d %6d %9.2f %9.2f\n", s.Section, s.Seen, s.Total, s.Accuracy, s.AccuracyMul)
	}
	for _, s := range r.Sections {
		line(s)
	}
	line(r.Semantic)
	line(r.Syntactic)
	line(r.All)
	return b.String()
}

// EvaluateAnalogies answers every question whose four words are among the Restrict most
// frequent words, matching words without regard to case (the first, most frequent, of the
// words that differ only in case stands for them), and leaving A, B and C out of the answers,
// as compute-accuracy and gensim do. Both 3CosAdd and 3CosMul are scored.
func (v *Vectors) EvaluateAnalogies(qs []Question, opt AnalogyOptions) AnalogyReport {
	n := opt.Restrict
	if n == 0 {
		n = 30000
	}
	if n < 0 || n > v.Len() {
		n = v.Len()
	}
	lower := make(map[string]int, n)
	for i, w := range v.Words[:n] {
		l := strings.ToLower(w)
		if _, ok := lower[l]; !ok {
			lower[l] = i
		}
	}
	rep := AnalogyReport{Restrict: n}
	type todo struct {
		q          [4]int
		section    int
		add, cmult bool
	}
	var work []todo
	for _, q := range qs {
		if len(rep.Sections) == 0 || rep.Sections[len(rep.Sections)-1].Section != q.Section {
			rep.Sections = append(rep.Sections, AnalogyScore{Section: q.Section})
		}
		s := len(rep.Sections) - 1
		rep.Sections[s].Total++
		var t todo
		t.section = s
		ok := true
		for i, w := range []string{q.A, q.B, q.C, q.D} {
			id, found := lower[strings.ToLower(w)]
			ok = ok && found
			t.q[i] = id
		}
		if ok {
			rep.Sections[s].Seen++
			work = append(work, t)
		}
	}
	u := v.units()
	dim := v.Dim
	row := func(i int) []float32 { return u[i*dim : (i+1)*dim] }
	// Questions go in blocks so each vocabulary row is read once a block, not once a question.
	const block = 16
	parallel((len(work)+block-1)/block, 1, func(lo, hi int) {
		var cos [block][3]float32
		var bestAdd, bestMul [block]float32
		var argAdd, argMul [block]int
		for bi := lo; bi < hi; bi++ {
			qb := work[bi*block : min((bi+1)*block, len(work))]
			for j := range qb {
				bestAdd[j], bestMul[j] = float32(math.Inf(-1)), float32(math.Inf(-1))
				argAdd[j], argMul[j] = -1, -1
			}
			for i := range n {
				r := row(i)
				for j := range qb {
					q := &qb[j].q
					if i == q[0] || i == q[1] || i == q[2] {
						continue
					}
					for k := range 3 {
						cos[j][k] = dot(r, row(q[k]))
					}
					if s := CosAdd.score(cos[j][0], cos[j][1], cos[j][2]); s > bestAdd[j] {
						bestAdd[j], argAdd[j] = s, i
					}
					if s := CosMul.score(cos[j][0], cos[j][1], cos[j][2]); s > bestMul[j] {
						bestMul[j], argMul[j] = s, i
					}
				}
			}
			for j := range qb {
				qb[j].add = argAdd[j] == qb[j].q[3]
				qb[j].cmult = argMul[j] == qb[j].q[3]
			}
		}
	})
	for _, t := range work {
		s := &rep.Sections[t.section]
		if t.add {
			s.Correct++
		}
		if t.cmult {
			s.CorrectMul++
		}
	}
	rep.Semantic.Section, rep.Syntactic.Section, rep.All.Section = "semantic", "syntactic", "all"
	for i := range rep.Sections {
		s := &rep.Sections[i]
		s.finish()
		if strings.HasPrefix(s.Section, "gram") {
			rep.Syntactic.add(*s)
		} else {
			rep.Semantic.add(*s)
		}
		rep.All.add(*s)
	}
	rep.Semantic.finish()
	rep.Syntactic.finish()
	rep.All.finish()
	return rep
}
