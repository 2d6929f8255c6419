import { Injectable, type PipeTransform } from '@nestjs/common';
import { invalid } from '@exchange/domain';
import { ID_MESSAGE, isId } from './dto-helpers';

/** An id in a path: a UUID in lower case, or 400 invalid-id (a well-formed id the caller cannot see is a 404 later). */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isId(value)) throw invalid('invalid-id', 'the id in the path is not a UUID in lower case', [{ field: 'id', message: ID_MESSAGE }]);
    return value;
  }
}
