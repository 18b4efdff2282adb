// Package taoclient is a thin Go client for tao-inferd, the
// tao.inference.v1 control plane: start a service, wait for its model,
// send it requests with media from files, list and stop services. Failed
// calls return *Error, which carries the server's ErrorDetails.
package taoclient

import (
	"context"
	"crypto/tls"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	healthv1 "taoinference/gen/grpc/health/v1"
	reflectionv1alpha "taoinference/gen/grpc/reflection/v1alpha"
	pb "taoinference/gen/tao/inference/v1"
)

// Generated videos come back in one message; allow what the server allows.
const maxMessageBytes = 512 * 1024 * 1024

// Client talks to one tao-inferd. It is safe for concurrent use.
type Client struct {
	conn    *grpc.ClientConn
	stub    pb.InferenceServiceClient
	timeout time.Duration
}

type settings struct {
	tlsConfig *tls.Config
	token     string
	timeout   time.Duration
	dialOpts  []grpc.DialOption
}

// Option changes how Dial connects.
type Option func(*settings)

// WithTLS connects over TLS; a nil config uses the system roots.
func WithTLS(config *tls.Config) Option {
	return func(s *settings) {
		if config == nil {
			config = &tls.Config{}
		}
		s.tlsConfig = config
	}
}

// WithToken sends "authorization: Bearer <token>" on every call.
func WithToken(token string) Option { return func(s *settings) { s.token = token } }

// WithTimeout sets the deadline of calls whose context has none (default
// 60 s; Infer and Wait use their own longer defaults).
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// WithDialOptions passes extra grpc.DialOptions through.
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(s *settings) { s.dialOpts = append(s.dialOpts, opts...) }
}

// bearerToken implements credentials.PerRPCCredentials.
type bearerToken struct {
	token  string
	secure bool
}

func (b bearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

// A token on a plaintext connection is the caller's choice (e.g. loopback).
func (b bearerToken) RequireTransportSecurity() bool { return b.secure }

// Dial connects to tao-inferd at address ("host:port"). The connection is
// made lazily; the first call reports an unreachable server.
func Dial(ctx context.Context, address string, opts ...Option) (*Client, error) {
	s := settings{timeout: 60 * time.Second}
	for _, opt := range opts {
		opt(&s)
	}
	dialOpts := []grpc.DialOption{grpc.WithDefaultCallOptions(
		grpc.MaxCallRecvMsgSize(maxMessageBytes),
		grpc.MaxCallSendMsgSize(maxMessageBytes))}
	if s.tlsConfig != nil {
		dialOpts = append(dialOpts,
			grpc.WithTransportCredentials(credentials.NewTLS(s.tlsConfig)))
	} else {
		// grpc-go 1.33 (Debian) has no credentials/insecure package.
		dialOpts = append(dialOpts, grpc.WithInsecure())
	}
	if s.token != "" {
		dialOpts = append(dialOpts, grpc.WithPerRPCCredentials(
			bearerToken{token: s.token, secure: s.tlsConfig != nil}))
	}
	dialOpts = append(dialOpts, s.dialOpts...)
	conn, err := grpc.DialContext(ctx, address, dialOpts...)
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn, stub: pb.NewInferenceServiceClient(conn),
		timeout: s.timeout}, nil
}

// Close releases the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Stub is the generated client, for calls this wrapper does not cover.
func (c *Client) Stub() pb.InferenceServiceClient { return c.stub }

// withDefault gives ctx a deadline when it has none.
func withDefault(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// Healthy reports whether grpc.health.v1 says the InferenceService is
// SERVING.
func (c *Client) Healthy(ctx context.Context) (bool, error) {
	ctx, cancel := withDefault(ctx, c.timeout)
	defer cancel()
	answer, err := healthv1.NewHealthClient(c.conn).Check(ctx,
		&healthv1.HealthCheckRequest{Service: "tao.inference.v1.InferenceService"})
	if err != nil {
		return false, wrap(err)
	}
	return answer.GetStatus() == healthv1.HealthCheckResponse_SERVING, nil
}

// GRPCServices lists the services the server offers, via gRPC reflection.
func (c *Client) GRPCServices(ctx context.Context) ([]string, error) {
	ctx, cancel := withDefault(ctx, c.timeout)
	defer cancel()
	stream, err := reflectionv1alpha.NewServerReflectionClient(c.conn).ServerReflectionInfo(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	err = stream.Send(&reflectionv1alpha.ServerReflectionRequest{
		MessageRequest: &reflectionv1alpha.ServerReflectionRequest_ListServices{}})
	if err != nil {
		return nil, wrap(err)
	}
	answer, err := stream.Recv()
	if err != nil {
		return nil, wrap(err)
	}
	stream.CloseSend()
	var names []string
	for _, service := range answer.GetListServicesResponse().GetService() {
		names = append(names, service.GetName())
	}
	return names, nil
}
