package taoclient

import (
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "taoinference/gen/tao/inference/v1"
)

// Error is a failed call: the gRPC code, the server's message and, when the
// server sent them, its ErrorDetails (decoded from the
// grpc-status-details-bin trailer, an ErrorStatus holding one ErrorDetails).
type Error struct {
	Code    codes.Code
	Message string
	// Nil when the server sent no details.
	Details *pb.ErrorDetails

	status *status.Status
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// GRPCStatus lets status.FromError and status.Code see through the wrapper.
func (e *Error) GRPCStatus() *status.Status { return e.status }

// Reason is the stable cause, e.g. pb.ErrorReason_ERROR_REASON_AMBIGUOUS_TARGET;
// ERROR_REASON_UNSPECIFIED without details.
func (e *Error) Reason() pb.ErrorReason { return e.Details.GetReasonCode() }

// Candidates are the services to choose from (ambiguous or unmatched target).
func (e *Error) Candidates() []*pb.Service { return e.Details.GetCandidates() }

// ServiceFailedError: Wait ended with a FAILED event.
type ServiceFailedError struct {
	Event *pb.WaitReadyEvent
}

func (e *ServiceFailedError) Error() string {
	return fmt.Sprintf("service %s failed: %s %s", e.Event.GetJobId(),
		e.Event.GetReason(), e.Event.GetMessage())
}

// wrap turns a gRPC error into *Error; other errors pass through.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	return &Error{Code: st.Code(), Message: st.Message(), Details: DetailsOf(st),
		status: st}
}

// DetailsOf extracts the ErrorDetails a tao-inferd status carries, if any.
// ErrorStatus has google.rpc.Status's wire format, so grpc-go's own
// decoding of the trailer gives its Any details.
func DetailsOf(st *status.Status) *pb.ErrorDetails {
	for _, detail := range st.Proto().GetDetails() {
		details := &pb.ErrorDetails{}
		if detail.MessageIs(details) && detail.UnmarshalTo(details) == nil {
			return details
		}
	}
	return nil
}
