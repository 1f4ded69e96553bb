package markdown

import "testing"

func TestSentenceCue(t *testing.T) {
	tests := []struct {
		lang, sentence string
		want           cueRole
	}{
		// English: output.
		{"en", "The output is similar to this:", cueOutput},
		{"en", "Output is similar to:", cueOutput},
		{"en", "The output displays the new Service:", cueOutput},
		{"en", "The output of a successful run confirms that the Job finished:", cueOutput},
		{"en", "In the output, you can see two replicas.", cueOutput},
		{"en", "You should see an output similar to:", cueOutput},
		{"en", "You will see the Pod restart a few times.", cueOutput},
		{"en", "This should produce a list of nodes:", cueOutput},
		{"en", "The generated Secret name is:", cueOutput},
		{"en", "A healthy endpoint returns:", cueOutput},
		{"en", "The following message is displayed:", cueOutput},
		{"en", "A rule that reads a missing field will return an error:", cueFailure},
		{"en", "As a result, the Deployment was scaled to 4 replicas:", cueOutput},
		{"en", "If the rollout fails, kubectl prints output similar to:", cueOutput},
		{"en", "If everything works, the output is:", cueOutput},
		{"en", "Run the command and you should see:", cueOutput},
		// English: something to run or write.
		{"en", "Run the following command:", cueCommand},
		{"en", "To see the output of the Job, run:", cueCommand},
		{"en", "Create the Deployment:", cueCommand},
		{"en", "Now, delete the Pod:", cueCommand},
		{"en", "View the logs of the Pod:", cueCommand},
		{"en", "To create the ConfigMap, apply the manifest:", cueCommand},
		{"en", "Create a file named app.env that has this content:", cueCommand},
		{"en", "Use these commands to clean up:", cueCommand},
		// English: the command fails.
		{"en", "This command fails:", cueFailure},
		{"en", "then you get an error:", cueFailure},
		{"en", "The API server rejects it, and kubectl prints a Forbidden error:", cueFailure},
		{"en", "The request is rejected:", cueFailure},
		{"en", "It fails with:", cueFailure},
		{"en", "The command fails if the namespace does not exist.", cueNone},
		{"en", "You should not see an error.", cueNone},
		// English: nothing.
		{"en", "Kubernetes keeps the old ReplicaSet around.", cueNone},
		{"en", "The kubectl tool saves the object (if you see an error, try again).", cueNone},
		{"en", "Did you see the output?", cueNone},
		{"en", "The command does not return.", cueNone},
		// Japanese: output.
		{"ja", "出力は次のようになります:", cueOutput},
		{"ja", "この出力では、Podが再起動したことを示しています:", cueOutput},
		{"ja", "次のような出力が表示されます。", cueOutput},
		{"ja", "このコマンドはPodの一覧を返します:", cueOutput},
		{"ja", "結果は次のとおりです:", cueOutput},
		{"ja", "ノード名が最後の列に表示されるはずです。", cueOutput},
		{"ja", "上記のコマンドから次の出力が戻れば、削除は完了です。", cueOutput},
		{"ja", "Podが作成されたことが確認できます。", cueOutput},
		// Japanese: the command fails.
		{"ja", "次のコマンドは失敗します:", cueFailure},
		{"ja", "クォータを超えるため、エラーになります:", cueFailure},
		{"ja", "リクエストは拒否されます。", cueFailure},
		{"ja", "失敗しない場合は次に進みます。", cueNone},
		// Japanese: something to run.
		{"ja", "次のコマンドを実行してください:", cueCommand},
		{"ja", "Podのステータスを確認します。", cueCommand},
		{"ja", "Serviceの一覧を表示します。", cueCommand},
		{"ja", "次のコマンドでログの出力を確認できます。", cueCommand},
		{"ja", "Podを作成してみましょう。", cueCommand},
		// Japanese rows do not apply to other languages.
		{"en", "出力は次のようになります:", cueNone},
	}
	for _, tt := range tests {
		if got, family := sentenceCue(tt.sentence, tt.lang); got != tt.want {
			t.Errorf("sentenceCue(%q, %s) = %v (%s), want %v", tt.sentence, tt.lang, got, family, tt.want)
		}
	}
}

func TestProseCueNearestSentenceDecides(t *testing.T) {
	tests := []struct {
		prose string
		want  cueRole
	}{
		{"The output shows that the Pod restarted. Note the RESTARTS column.", cueOutput},
		{"The output shows the Pod. Now delete it:", cueCommand},
		{"Wait a minute. Then run:", cueCommand},
		{"Kubernetes is patient.", cueNone},
	}
	for _, tt := range tests {
		if got, _ := proseCue(sentences(tt.prose), "en"); got != tt.want {
			t.Errorf("proseCue(%q) = %v, want %v", tt.prose, got, tt.want)
		}
	}
}

func TestSentences(t *testing.T) {
	got := sentences("One. Two is 2.5 long! Three? 四。五")
	want := []string{"One.", "Two is 2.5 long!", "Three?", "四。", "五"}
	if len(got) != len(want) {
		t.Fatalf("sentences = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sentence %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// TestCueTableRows checks that every row of the cue table has a language,
// a family name and a role, so that a translator's new rows are complete.
func TestCueTableRows(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range cueTable {
		if c.lang == "" || c.family == "" || c.role == cueNone || c.re == nil {
			t.Errorf("incomplete cue row %+v", c)
		}
		key := c.lang + "/" + c.family
		if seen[key] {
			t.Errorf("cue family %s listed twice", key)
		}
		seen[key] = true
	}
}
