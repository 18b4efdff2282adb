// Command walkthrough shows the tao-inferd API through the Go client.
//
// It reads what each architecture accepts, starts a cosmos-rl service,
// waits for it (printing progress), asks it about an image, starts cosmos-predict2.5 and writes the video it
// generates, lists and stops everything, and shows how an ambiguous target
// is refused with the candidates to choose from. Each step checks what came
// back and exits 1 when it is not what the API promises, so CI runs this
// program as a test.
//
//	walkthrough -server 127.0.0.1:50051 -image photo.png -video-out out.mp4
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	pb "taoinference/gen/tao/inference/v1"
	"taoinference/taoclient"
)

type settings struct {
	server, token, platform, image, videoOut string
	rlModel, predictModel, predictKey        string
}

func check(ok bool, format string, args ...interface{}) {
	if !ok {
		fmt.Fprintf(os.Stderr, "walkthrough: FAILED: "+format+"\n", args...)
		os.Exit(1)
	}
}

func must(err error, what string) {
	check(err == nil, "%s: %v", what, err)
}

func printProgress(event *pb.WaitReadyEvent) {
	fmt.Printf("  %s %s %s %s\n", event.GetState(), event.GetPhase(),
		event.GetReason(), event.GetMessage())
}

func startAndWait(ctx context.Context, client *taoclient.Client, s settings,
	arch, model, key string) *pb.Service {
	service, err := client.Start(ctx, &pb.StartRequest{
		NetworkArch: arch, ModelPath: model, Platform: s.platform, ModelKey: key})
	must(err, "start "+arch)
	fmt.Printf("started %s %s, waiting\n", arch, service.GetJobId())
	_, err = client.Wait(ctx, service.GetJobId(), 2*time.Minute, printProgress)
	must(err, "wait for "+arch)
	return service
}

func sortedJobIDs(services []*pb.Service) []string {
	var ids []string
	for _, service := range services {
		ids = append(ids, service.GetJobId())
	}
	sort.Strings(ids)
	return ids
}

func main() {
	var s settings
	server := os.Getenv("TAO_INFER_SERVER")
	if server == "" {
		server = "127.0.0.1:50051"
	}
	flag.StringVar(&s.server, "server", server, "tao-inferd address")
	flag.StringVar(&s.token, "token", os.Getenv("TAO_INFER_TOKEN"), "bearer token")
	flag.StringVar(&s.platform, "platform", "local-docker", "platform to start on")
	flag.StringVar(&s.image, "image", "", "image file for cosmos-rl (required)")
	flag.StringVar(&s.videoOut, "video-out", "generated.mp4", "where to write the video")
	flag.StringVar(&s.rlModel, "rl-model", "hf_model://nvidia/Cosmos-Reason1-7B", "cosmos-rl model_path")
	flag.StringVar(&s.predictModel, "predict-model", "hf_model://nvidia/Cosmos-Predict2.5-2B", "cosmos-predict2.5 model_path")
	flag.StringVar(&s.predictKey, "predict-key", "base-2b", "cosmos-predict2.5 model_key")
	flag.Parse()
	check(s.image != "", "-image is required")

	ctx := context.Background()
	var options []taoclient.Option
	if s.token != "" {
		options = append(options, taoclient.WithToken(s.token))
	}
	client, err := taoclient.Dial(ctx, s.server, options...)
	must(err, "dial")
	defer client.Close()

	healthy, err := client.Healthy(ctx)
	must(err, "health check")
	check(healthy, "health check is not SERVING")
	names, err := client.GRPCServices(ctx)
	must(err, "reflection")
	check(strings.Contains(strings.Join(names, " "), "tao.inference.v1.InferenceService"),
		"reflection does not list the InferenceService: %v", names)

	// What each architecture accepts, from the server's catalog.
	described, err := client.DescribeArchitectures(ctx)
	must(err, "describe architectures")
	fields := map[string]*pb.SamplingFieldDescription{}
	for _, arch := range described.GetArchitectures() {
		var fieldNames []string
		for _, field := range arch.GetSamplingFields() {
			fieldNames = append(fieldNames, field.GetName())
			fields[arch.GetNetworkArch()+" "+field.GetName()] = field
		}
		fmt.Printf("%s: %s\n", arch.GetNetworkArch(), strings.Join(fieldNames, ", "))
	}
	topP := fields["cosmos-rl top_p"]
	check(topP.GetMin() != nil && topP.GetMin().GetExclusive() && topP.GetMin().GetValue() == 0,
		"cosmos-rl top_p is not described as above 0: %v", topP)
	seed := fields["cosmos-predict2.5 seed"]
	check(seed.GetMin() != nil && !seed.GetMin().GetExclusive() && seed.GetMin().GetValue() == 0,
		"cosmos-predict2.5 seed has no min 0: %v", seed)

	// cosmos-rl: a question about an image.
	rl := startAndWait(ctx, client, s, "cosmos-rl", s.rlModel, "")
	maxTokens := int32(64)
	answer, err := client.Infer(ctx, taoclient.Request{
		JobID: rl.GetJobId(), Prompt: "What is in this picture?",
		Images: []string{s.image}, Sampling: &pb.SamplingParams{MaxTokens: &maxTokens}})
	must(err, "infer cosmos-rl")
	text := answer.GetChoices()[0].GetText()
	fmt.Printf("cosmos-rl answered: %s\n", text)
	check(answer.GetJobId() == rl.GetJobId(), "answer from another service")
	check(text != "", "empty cosmos-rl answer")
	if s.platform == "test" { // the reference backend echoes its input
		check(strings.Contains(text, "What is in this picture?") &&
			strings.Contains(text, "media=1"),
			"the reference backend did not see the prompt and image")
	}

	// cosmos-predict2.5: text to video, written to a file.
	predict := startAndWait(ctx, client, s, "cosmos-predict2.5", s.predictModel, s.predictKey)
	generated, err := client.Infer(ctx, taoclient.Request{
		JobID: predict.GetJobId(), Prompt: "A robot arm stacks red cubes"})
	must(err, "infer cosmos-predict2.5")
	video := generated.GetChoices()[0]
	must(os.WriteFile(s.videoOut, video.GetMedia(), 0o644), "write video")
	fmt.Printf("cosmos-predict2.5 wrote %d bytes (%s) to %s\n",
		len(video.GetMedia()), video.GetMediaMimeType(), s.videoOut)
	check(len(video.GetMedia()) > 8 && bytes.Equal(video.GetMedia()[4:8], []byte("ftyp")),
		"the video is not an MP4")

	listed, err := client.List(ctx, nil)
	must(err, "list")
	for _, service := range listed.GetServices() {
		fmt.Printf("  %s %s %s\n", service.GetJobId(), service.GetNetworkArch(), service.GetState())
	}
	listedIDs := strings.Join(sortedJobIDs(listed.GetServices()), " ")
	check(strings.Contains(listedIDs, rl.GetJobId()) && strings.Contains(listedIDs, predict.GetJobId()),
		"list misses a service: %s", listedIDs)

	// Two cosmos-rl services: a target by architecture is ambiguous and the
	// error carries both as candidates.
	rl2 := startAndWait(ctx, client, s, "cosmos-rl", s.rlModel, "")
	_, err = client.Infer(ctx, taoclient.Request{NetworkArch: "cosmos-rl", Prompt: "Hello",
		Images: []string{s.image}})
	var refusal *taoclient.Error
	check(errors.As(err, &refusal), "an ambiguous target was not refused: %v", err)
	fmt.Printf("refused as expected: %s %s\n", refusal.Code, refusal.Reason())
	for _, candidate := range refusal.Candidates() {
		fmt.Printf("  candidate %s %s\n", candidate.GetJobId(), candidate.GetModelPath())
	}
	check(refusal.Reason() == pb.ErrorReason_ERROR_REASON_AMBIGUOUS_TARGET,
		"reason %s, not ERROR_REASON_AMBIGUOUS_TARGET", refusal.Reason())
	got := sortedJobIDs(refusal.Candidates())
	want := sortedJobIDs([]*pb.Service{rl, rl2})
	check(strings.Join(got, " ") == strings.Join(want, " "), "candidates %v, want %v", got, want)

	for _, service := range []*pb.Service{rl, predict, rl2} {
		_, err := client.Stop(ctx, service.GetJobId())
		must(err, "stop "+service.GetJobId())
		fmt.Printf("stopped %s\n", service.GetJobId())
	}
	listed, err = client.List(ctx, nil)
	must(err, "list after stop")
	for _, service := range listed.GetServices() {
		for _, stopped := range []*pb.Service{rl, predict, rl2} {
			check(service.GetJobId() != stopped.GetJobId(), "%s is still listed", stopped.GetJobId())
		}
	}
	fmt.Println("walkthrough: OK")
}
