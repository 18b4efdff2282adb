package taoclient

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	pb "taoinference/gen/tao/inference/v1"
)

// MediaFrom makes a Media from an http(s)/data: URL (sent as is) or a file
// path (sent as bytes, with its name: the server derives the MIME type from
// the extension and checks it against the architecture).
func MediaFrom(source string) (*pb.Media, error) {
	for _, prefix := range []string{"http://", "https://", "data:"} {
		if strings.HasPrefix(source, prefix) {
			return &pb.Media{Source: &pb.Media_Url{Url: source}}, nil
		}
	}
	data, err := os.ReadFile(source)
	if err != nil {
		return nil, fmt.Errorf("taoclient: reading media file: %w", err)
	}
	return &pb.Media{Source: &pb.Media_Data{Data: data},
		Filename: filepath.Base(source)}, nil
}
