package embed

import (
	"math"
	"strings"
	"testing"
)

// family is a hand-made embedding: each word is the sum of three features (male or female,
// adult or child, common or royal), so every analogy that swaps one feature is an exact
// parallelogram and the right answer has cosine 1 with B - A + C.
func family(t *testing.T) *Vectors {
	t.Helper()
	const male, female, adult, child, common, royal = 0, 1, 2, 3, 4, 5
	words := []struct {
		w string
		f [3]int
	}{
		{"man", [3]int{male, adult, common}}, {"woman", [3]int{female, adult, common}},
		{"king", [3]int{male, adult, royal}}, {"queen", [3]int{female, adult, royal}},
		{"boy", [3]int{male, child, common}}, {"girl", [3]int{female, child, common}},
		{"prince", [3]int{male, child, royal}}, {"princess", [3]int{female, child, royal}},
	}
	var names []string
	var data []float32
	for _, w := range words {
		row := make([]float32, 6)
		for _, f := range w.f {
			row[f] = 1
		}
		names = append(names, w.w)
		data = append(data, row...)
	}
	v, err := NewVectors(names, 6, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const familyQuestions = `: family
Man Woman King Queen
boy girl prince princess
man king woman queen
man king boy girl
man woman emperor empress

: gram-royal
king prince queen princess
woman girl man boy
`

func TestAnalogyScoresKnownAccuracy(t *testing.T) {
	v := family(t)
	qs, err := ParseQuestions(strings.NewReader(familyQuestions), "family.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 7 || qs[3].Line != 5 || qs[5].Section != "gram-royal" {
		t.Fatalf("parsed %d questions, 4th on line %d, 6th in %q; want 7, line 5, gram-royal", len(qs), qs[3].Line, qs[5].Section)
	}
	rep := v.EvaluateAnalogies(qs, AnalogyOptions{})
	// family: 4 of 5 seen (emperor is unknown), 3 right ("man king boy" is prince, not girl);
	// gram-royal: 2 of 2.
	check := func(s AnalogyScore, total, seen, correct int) {
		t.Helper()
		if s.Total != total || s.Seen != seen || s.Correct != correct || s.CorrectMul != correct {
			t.Errorf("%s: total %d seen %d correct %d (3CosMul %d); want %d, %d, %d", s.Section, s.Total, s.Seen, s.Correct, s.CorrectMul, total, seen, correct)
		}
		if want := 100 * float64(correct) / float64(seen); math.Abs(s.Accuracy-want) > 1e-9 {
			t.Errorf("%s: accuracy %.4f, want %.4f", s.Section, s.Accuracy, want)
		}
	}
	check(rep.Sections[0], 5, 4, 3)
	check(rep.Sections[1], 2, 2, 2)
	check(rep.Semantic, 5, 4, 3)
	check(rep.Syntactic, 2, 2, 2)
	check(rep.All, 7, 6, 5)
	if !strings.Contains(rep.String(), "83.33") {
		t.Errorf("report table lacks the overall 83.33%%:\n%s", rep)
	}

	// Restricted to the 4 most frequent words (man, woman, king, queen) two questions remain.
	small := v.EvaluateAnalogies(qs, AnalogyOptions{Restrict: 4})
	check(small.All, 7, 2, 2)

	for _, m := range []Method{CosAdd, CosMul} {
		ans, err := v.Analogy("man", "king", "woman", 1, m)
		if err != nil || ans[0].Word != "queen" {
			t.Errorf("%s: man is to king as woman is to %v (%v), want queen", m, ans, err)
		}
	}
	if _, err := v.Analogy("man", "kin", "woman", 1, CosAdd); err == nil || !strings.Contains(err.Error(), "close spellings: king") {
		t.Errorf("Analogy with a misspelt word: %v, want a suggestion", err)
	}
}

// 3CosMul differs from 3CosAdd where one similarity dominates. With A, B, C orthonormal:
// d1 has cos 0 with A and B and 0.99 with C: 3CosAdd 0.99, 3CosMul 0.5·0.995/0.501 = 0.993;
// d2 has cos 0 with A and 0.45 with B and C: 3CosAdd 0.90, 3CosMul 0.725²/0.501 = 1.049.
func TestCosMulBalancesTheTerms(t *testing.T) {
	v, err := NewVectors([]string{"a", "b", "c", "d1", "d2"}, 4, []float32{
		0, 0, 1, 0,
		1, 0, 0, 0,
		0, 1, 0, 0,
		0, 0.99, 0, float32(math.Sqrt(1 - 0.99*0.99)),
		0.45, 0.45, 0, float32(math.Sqrt(1 - 2*0.45*0.45)),
	})
	if err != nil {
		t.Fatal(err)
	}
	add, _ := v.Analogy("a", "b", "c", 2, CosAdd)
	mul, _ := v.Analogy("a", "b", "c", 2, CosMul)
	if add[0].Word != "d1" || math.Abs(add[0].Similarity-0.99) > 1e-5 || math.Abs(add[1].Similarity-0.90) > 1e-5 {
		t.Errorf("3CosAdd ranks %v, want d1 (0.99) before d2 (0.90)", add)
	}
	if mul[0].Word != "d2" || math.Abs(mul[0].Similarity-0.725*0.725/0.501) > 1e-4 || math.Abs(mul[1].Similarity-0.5*0.995/0.501) > 1e-4 {
		t.Errorf("3CosMul ranks %v, want d2 (1.049) before d1 (0.993)", mul)
	}
}

func TestMalformedQuestionsGiveLineNumbers(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{": s\na b c d\na b c\n", "line 3: want four words"},
		{": s\n\na b c d e\n", "line 3: want four words"},
		{"a b c d\n:\n", "line 2: a section line needs a name"},
		{"\n\n", "holds no questions"},
	} {
		_, err := ParseQuestions(strings.NewReader(tc.text), "q.txt")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "q.txt") {
			t.Errorf("ParseQuestions(%q) = %v, want an error with %q and the file name", tc.text, err, tc.want)
		}
	}
	if _, err := ReadQuestions("/no/such/questions.txt"); err == nil || !strings.Contains(err.Error(), "questions-words") {
		t.Errorf("ReadQuestions of a missing file: %v", err)
	}
}
