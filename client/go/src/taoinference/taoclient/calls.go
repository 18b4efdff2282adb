package taoclient

import (
	"context"
	"errors"
	"io"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	pb "taoinference/gen/tao/inference/v1"
)

// Start starts a service and returns it (usually not READY yet; see Wait).
func (c *Client) Start(ctx context.Context, request *pb.StartRequest) (*pb.Service, error) {
	ctx, cancel := withDefault(ctx, c.timeout)
	defer cancel()
	answer, err := c.stub.Start(ctx, request)
	if err != nil {
		return nil, wrap(err)
	}
	return answer.GetService(), nil
}

// Wait streams WaitReady progress into onProgress (may be nil) and returns
// the READY event. A FAILED service gives *ServiceFailedError; a timeout
// (default 10 min when zero) gives *Error with codes.DeadlineExceeded.
func (c *Client) Wait(ctx context.Context, jobID string, timeout time.Duration,
	onProgress func(*pb.WaitReadyEvent)) (*pb.WaitReadyEvent, error) {
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	// The call's own deadline leaves room for the server's answer.
	ctx, cancel := withDefault(ctx, timeout+30*time.Second)
	defer cancel()
	stream, err := c.stub.WaitReady(ctx, &pb.WaitReadyRequest{
		JobId: jobID, Timeout: durationpb.New(timeout)})
	if err != nil {
		return nil, wrap(err)
	}
	var last *pb.WaitReadyEvent
	for {
		event, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, wrap(err)
		}
		if onProgress != nil {
			onProgress(event)
		}
		last = event
	}
	if last == nil {
		return nil, errors.New("taoclient: WaitReady for " + jobID + " ended without an event")
	}
	if last.GetState() != pb.ServiceState_SERVICE_STATE_READY {
		return last, &ServiceFailedError{Event: last}
	}
	return last, nil
}

// Request is one chat-completion request in the shape most callers need.
type Request struct {
	// Target: JobID, else NetworkArch, else the only running service.
	JobID       string
	NetworkArch string
	Prompt      string
	System      string
	// File paths (sent as bytes) or http(s)/data: URLs.
	Images []string
	Videos []string
	// Nil takes the architecture's defaults.
	Sampling *pb.SamplingParams
	// Wait for the model to load instead of failing with UNAVAILABLE.
	WaitForReady bool
}

// Infer sends one request; without a deadline on ctx it allows 10 minutes.
func (c *Client) Infer(ctx context.Context, request Request) (*pb.InferResponse, error) {
	var parts []*pb.ContentPart
	for _, image := range request.Images {
		media, err := MediaFrom(image)
		if err != nil {
			return nil, err
		}
		parts = append(parts, &pb.ContentPart{Kind: &pb.ContentPart_Image{Image: media}})
	}
	for _, video := range request.Videos {
		media, err := MediaFrom(video)
		if err != nil {
			return nil, err
		}
		parts = append(parts, &pb.ContentPart{Kind: &pb.ContentPart_Video{Video: media}})
	}
	if request.Prompt != "" {
		parts = append(parts, &pb.ContentPart{Kind: &pb.ContentPart_Text{Text: request.Prompt}})
	}
	var messages []*pb.ChatMessage
	if request.System != "" {
		messages = append(messages, &pb.ChatMessage{Role: pb.Role_ROLE_SYSTEM,
			Parts: []*pb.ContentPart{{Kind: &pb.ContentPart_Text{Text: request.System}}}})
	}
	messages = append(messages, &pb.ChatMessage{Role: pb.Role_ROLE_USER, Parts: parts})
	message := &pb.InferRequest{Messages: messages, Sampling: request.Sampling,
		WaitForReady: request.WaitForReady}
	switch {
	case request.JobID != "":
		message.Target = &pb.InferRequest_JobId{JobId: request.JobID}
	case request.NetworkArch != "":
		message.Target = &pb.InferRequest_NetworkArch{NetworkArch: request.NetworkArch}
	}
	return c.InferRaw(ctx, message)
}

// InferRaw sends a fully built InferRequest.
func (c *Client) InferRaw(ctx context.Context, request *pb.InferRequest) (*pb.InferResponse, error) {
	ctx, cancel := withDefault(ctx, 10*time.Minute)
	defer cancel()
	answer, err := c.stub.Infer(ctx, request)
	if err != nil {
		return nil, wrap(err)
	}
	return answer, nil
}

// List returns the registry's services; filter may be nil.
func (c *Client) List(ctx context.Context, filter *pb.ListRequest) (*pb.ListResponse, error) {
	if filter == nil {
		filter = &pb.ListRequest{}
	}
	ctx, cancel := withDefault(ctx, c.timeout)
	defer cancel()
	answer, err := c.stub.List(ctx, filter)
	return answer, wrap(err)
}

// Get returns one service.
func (c *Client) Get(ctx context.Context, jobID string) (*pb.Service, error) {
	ctx, cancel := withDefault(ctx, c.timeout)
	defer cancel()
	answer, err := c.stub.Get(ctx, &pb.GetRequest{JobId: jobID})
	return answer, wrap(err)
}

// DescribeArchitectures returns the server's catalog: per architecture, the
// sampling fields it accepts (type, default, bounds) and the media it takes.
func (c *Client) DescribeArchitectures(ctx context.Context) (*pb.DescribeArchitecturesResponse, error) {
	ctx, cancel := withDefault(ctx, c.timeout)
	defer cancel()
	answer, err := c.stub.DescribeArchitectures(ctx, &pb.DescribeArchitecturesRequest{})
	return answer, wrap(err)
}

// Stop stops a service; the answer names the new latest service.
func (c *Client) Stop(ctx context.Context, jobID string) (*pb.StopResponse, error) {
	ctx, cancel := withDefault(ctx, c.timeout)
	defer cancel()
	answer, err := c.stub.Stop(ctx, &pb.StopRequest{JobId: jobID})
	return answer, wrap(err)
}
